using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Service.Api;

namespace Payments.Workflows.Tests.Api;

/// <summary>Which failures become 503 (the database is away) and which stay a 500 for the default handler.</summary>
public sealed class DatabaseUnavailableHandlerTests
{
    [Fact]
    public async Task A_busy_database_is_answered_503_with_Retry_After()
    {
        var (handled, context) = await Handle(new SqliteException("database is locked", 5), migrated: true);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task A_permanent_error_is_left_to_the_default_500_handler()
    {
        var (handled, context) = await Handle(new InvalidOperationException("a bug"), migrated: true);

        Assert.False(handled);
        Assert.NotEqual(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
    }

    [Fact]
    public async Task Any_database_error_before_migrations_are_applied_is_answered_503()
    {
        var (handled, context) = await Handle(new SqliteException("no such table: IdempotentRequest", 1), migrated: false);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
    }

    private static async Task<(bool Handled, HttpContext Context)> Handle(Exception exception, bool migrated)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var handler = new DatabaseUnavailableHandler(new MigrationState(migrated), Options.Create(new PaymentsOptions()), NullLogger<DatabaseUnavailableHandler>.Instance);
        var handled = await handler.TryHandleAsync(context, exception, TestContext.Current.CancellationToken);
        return (handled, context);
    }

    private sealed class MigrationState(bool done) : IDatabaseMigrationState
    {
        public bool IsDone => done;
    }
}
