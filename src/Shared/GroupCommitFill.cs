namespace JobManagement;

/// <summary>
/// Shared source, compiled into each durable journal: how a group-commit writer fills its next
/// batch. When the previous commit held several appends, the callers it just answered are about to
/// send their next ones from the thread pool; the writer gives them a few turns (no timer, so a lone
/// caller never waits) before committing a smaller batch, so one commit's cost (an fsync above all)
/// is shared as widely as the callers' concurrency allows.
/// </summary>
internal static class GroupCommitFill
{
    /// <summary>The most turns given to callers before committing what is there.</summary>
    public const int MaxTurns = 4;

    /// <summary>Yields up to <see cref="MaxTurns"/> times, draining after each, until the batch is as large as the previous one (or full).</summary>
    /// <param name="batch">The batch being filled.</param>
    /// <param name="previous">How many appends the previous commit held.</param>
    /// <param name="maxBatchSize">The batch's bound.</param>
    /// <param name="drain">Moves whatever is queued into the batch.</param>
    public static async ValueTask FillLikePreviousAsync<T>(List<T> batch, int previous, int maxBatchSize, Action<List<T>> drain)
    {
        for (int turn = 0; turn < MaxTurns && previous > 1 && batch.Count < Math.Min(previous, maxBatchSize); turn++)
        {
            await Task.Yield();
            drain(batch);
        }
    }
}
