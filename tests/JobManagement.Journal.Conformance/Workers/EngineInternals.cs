using System.Text.Json;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance.Workers;

/// <summary>
/// The two internal engine calls the suite needs to play a worker that claimed a job and died: a claim
/// (<c>JobEngine.TryClaimAsync</c>) and a late attempt fact (<c>JobEngine.RecordAttemptFactAsync</c> with
/// <c>ExecutionFacts.AttemptSucceeded</c>); JobManagement grants this library InternalsVisibleTo.
/// </summary>
public static class EngineInternals
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<int?> TryClaimAsync(JobEngine engine, JobId jobId, string worker, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(engine);
        AttemptClaim claim = await engine.TryClaimAsync(jobId, worker, lease, CancellationToken.None);
        return claim.Attempt;
    }

    public static async Task<bool> RecordAttemptSucceededAsync(JobEngine engine, JobId jobId, int attempt, object? result, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(time);
        JsonElement? payload = result is null ? null : JsonSerializer.SerializeToElement(result, Web);
        (bool applied, _) = await engine.RecordAttemptFactAsync(jobId, ExecutionFacts.AttemptSucceeded(EventId.New(time), attempt, payload, time.GetUtcNow()), CancellationToken.None);
        return applied;
    }
}
