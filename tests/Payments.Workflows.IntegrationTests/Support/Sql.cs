using System.Data.Common;

namespace Payments.Workflows.IntegrationTests.Support;

/// <summary>One-off SQL for the tests that check a database server directly, without EF.</summary>
public static class Sql
{
    /// <summary>The first column of the first row <paramref name="sql"/> returns; null for no row or SQL NULL.</summary>
    public static async Task<object?> Scalar(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is DBNull ? null : value;
    }
}
