using Npgsql;

namespace Payments.Workflows.Tests.Persistence;

public sealed class PostgreSqlConnectionTests
{
    [Fact]
    public void Statements_are_prepared_automatically_and_pooled_connections_not_reset_when_the_connection_string_does_not_say()
    {
        var connectionString = PaymentsDatabase.WithNpgsqlDefaults("Host=db;Database=payments;Username=svc;Password=secret");

        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        Assert.Equal(PaymentsDatabase.DefaultMaxAutoPrepare, settings.MaxAutoPrepare);
        Assert.True(settings.NoResetOnClose);
        Assert.Equal("db", settings.Host);
        Assert.Equal("payments", settings.Database);
        Assert.Equal("secret", settings.Password);
    }

    [Theory]
    [InlineData("Host=db;Database=payments;Max Auto Prepare=0;No Reset On Close=false", 0, false)]
    [InlineData("Host=db;Database=payments;MaxAutoPrepare=20;NoResetOnClose=false", 20, false)]
    [InlineData("Host=db;Database=payments;Max Auto Prepare=0;No Reset On Close=true", 0, true)]
    public void A_connection_string_that_sets_them_keeps_its_settings(string given, int maxAutoPrepare, bool noResetOnClose)
    {
        var connectionString = PaymentsDatabase.WithNpgsqlDefaults(given);

        Assert.Equal(given, connectionString);
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        Assert.Equal(maxAutoPrepare, settings.MaxAutoPrepare);
        Assert.Equal(noResetOnClose, settings.NoResetOnClose);
    }
}
