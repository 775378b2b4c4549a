namespace Payments.Workflows.Benchmarks.Measurement;

/// <summary>
/// How many checkpoints the PostgreSQL server has begun since its statistics were last reset (timed and requested).
/// A checkpoint makes the next change to every page write the whole page to the WAL, so commits write more for a
/// while after one begins; the benchmark sets its times beside the slowest latency windows.
/// </summary>
public static class ServerCheckpoints
{
    public static async Task<long?> Begun(DbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
            return null;
        // The checkpointer reports the count as it starts writing, so a sample a second later sees a new checkpoint.
        return await db.Database
            .SqlQueryRaw<long>("SELECT checkpoints_timed + checkpoints_req AS \"Value\" FROM pg_stat_bgwriter")
            .SingleAsync(cancellationToken);
    }
}
