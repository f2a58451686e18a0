using System.Collections.Frozen;
using System.Collections.Immutable;

namespace JobManagement;

/// <summary>
/// A batch's state, derived from the states of its jobs (see <see cref="JobEngine.GetBatchAsync"/>): never stored.
/// </summary>
/// <remarks>Immutable and thread-safe. Equality is by value, including the lists.</remarks>
public sealed record BatchState
{
    /// <summary>Gets the batch's id.</summary>
    public required BatchId BatchId { get; init; }

    /// <summary>Gets when the batch was submitted (recorded).</summary>
    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>Gets the batch's jobs, in submission order.</summary>
    public required ImmutableArray<JobState> Jobs { get; init; }

    /// <summary>Gets the batch's overall status: Running while any job is not terminal; then Succeeded or Failed.</summary>
    public required BatchStatus Status { get; init; }

    /// <summary>Gets how many of the batch's jobs are in each <see cref="JobStatus"/>; every status is present (0 when none).</summary>
    public required IReadOnlyDictionary<JobStatus, int> Counts { get; init; }

    /// <summary>Gets the batch's job ids, in submission order.</summary>
    public ImmutableArray<JobId> JobIds => [.. Jobs.Select(static j => j.JobId)];

    /// <summary>Gets how many jobs the batch has.</summary>
    public int Total => Jobs.Length;

    /// <inheritdoc />
    public bool Equals(BatchState? other) =>
        other is not null
        && BatchId == other.BatchId
        && SubmittedAt == other.SubmittedAt
        && Status == other.Status
        && Jobs.SequenceEqual(other.Jobs);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(BatchId, Status, Jobs.Length);

    /// <summary>Derives a batch's state from its jobs' states.</summary>
    internal static BatchState From(BatchId batchId, DateTimeOffset submittedAt, ImmutableArray<JobState> jobs)
    {
        Dictionary<JobStatus, int> counts = Enum.GetValues<JobStatus>().ToDictionary(static s => s, static _ => 0);
        foreach (JobState job in jobs)
        {
            counts[job.Status]++;
        }

        BatchStatus status = jobs.Any(static j => !j.IsTerminal) ? BatchStatus.Running
            : jobs.All(static j => j.Status == JobStatus.Succeeded) ? BatchStatus.Succeeded
            : BatchStatus.Failed;
        return new BatchState { BatchId = batchId, SubmittedAt = submittedAt, Jobs = jobs, Status = status, Counts = counts.ToFrozenDictionary() };
    }
}
