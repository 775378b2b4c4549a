using Npgsql;

namespace Payments.Workflows.Tests.Persistence;

public sealed class PostgreSqlConnectionTests
{
    [Fact]
    public void Statements_are_prepared_automatically_when_the_connection_string_does_not_say()
    {
        var connectionString = PaymentsDatabase.WithAutoPrepare("Host=db;Database=payments;Username=svc;Password=secret");

        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        Assert.Equal(PaymentsDatabase.DefaultMaxAutoPrepare, settings.MaxAutoPrepare);
        Assert.Equal("db", settings.Host);
        Assert.Equal("payments", settings.Database);
        Assert.Equal("secret", settings.Password);
    }

    [Theory]
    [InlineData("Host=db;Database=payments;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Database=payments;MaxAutoPrepare=20", 20)]
    public void A_connection_string_that_sets_automatic_preparation_keeps_its_setting(string given, int expected)
    {
        var connectionString = PaymentsDatabase.WithAutoPrepare(given);

        Assert.Equal(given, connectionString);
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(connectionString).MaxAutoPrepare);
    }
}
