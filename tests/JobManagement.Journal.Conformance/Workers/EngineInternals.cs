using System.Reflection;
using System.Text.Json;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance.Workers;

/// <summary>
/// The two internal engine calls the suite needs to play a worker that claimed a job and died: a claim
/// (<c>JobEngine.TryClaimAsync</c>) and a late attempt fact (<c>JobEngine.RecordAttemptFactAsync</c> with
/// <c>ExecutionFacts.AttemptSucceeded</c>), reached by reflection because JobManagement grants
/// InternalsVisibleTo only to JobManagement.Tests. (An InternalsVisibleTo for this library would let
/// these be plain calls.) A missing member fails the test loudly.
/// </summary>
public static class EngineInternals
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Claims the job for a new attempt as <paramref name="worker"/> would, without running anything.</summary>
    /// <returns>The attempt started, or null when the claim did not start one.</returns>
    public static async Task<int?> TryClaimAsync(JobEngine engine, JobId jobId, string worker, TimeSpan lease)
    {
        MethodInfo method = typeof(JobEngine).GetMethod("TryClaimAsync", Instance)
            ?? throw new MissingMethodException(nameof(JobEngine), "TryClaimAsync");
        object claim = await AwaitValueTaskAsync(method.Invoke(engine, [jobId, worker, lease, CancellationToken.None])!);
        return (int?)claim.GetType().GetProperty("Attempt")!.GetValue(claim);
    }

    /// <summary>Records <c>job.attempt.succeeded</c> for an attempt, as its (late) worker would.</summary>
    /// <returns>Whether the fact applied (false: kept as record-only).</returns>
    public static async Task<bool> RecordAttemptSucceededAsync(JobEngine engine, JobId jobId, int attempt, object? result, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Type facts = typeof(JobEngine).Assembly.GetType("JobManagement.ExecutionFacts", throwOnError: true)!;
        MethodInfo succeeded = facts.GetMethod("AttemptSucceeded", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new MissingMethodException("ExecutionFacts", "AttemptSucceeded");
        JsonElement? payload = result is null ? null : JsonSerializer.SerializeToElement(result, Web);
        var fact = (NewJobEvent)succeeded.Invoke(null, [EventId.New(time), attempt, payload, time.GetUtcNow()])!;
        MethodInfo record = typeof(JobEngine).GetMethod("RecordAttemptFactAsync", Instance)
            ?? throw new MissingMethodException(nameof(JobEngine), "RecordAttemptFactAsync");
        var (applied, _) = ((bool, JobState))await AwaitValueTaskAsync(record.Invoke(engine, [jobId, fact, CancellationToken.None])!);
        return applied;
    }

    private static async Task<object> AwaitValueTaskAsync(object valueTask)
    {
        var task = (Task)valueTask.GetType().GetMethod("AsTask")!.Invoke(valueTask, null)!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }
}
