namespace Payments.Workflows.Tests.Support;

public static class TestDatabase
{
    /// <summary>Builds the schema the way the service does: by applying the provider's migrations.</summary>
    public static async Task Create(IServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        await db.Database.MigrateAsync();
    }
}
