namespace Payments.Workflows.Components.Persistence;

/// <summary>Whether start-up's database work (migrations) is done; false while the database has been away since boot.</summary>
public interface IDatabaseMigrationState
{
    bool IsDone { get; }
}
