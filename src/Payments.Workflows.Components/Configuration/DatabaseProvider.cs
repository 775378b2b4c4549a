namespace Payments.Workflows.Components.Configuration;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
    SqlServer,
}
