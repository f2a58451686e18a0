using System.Collections.Immutable;

namespace JobManagement;

/// <summary>
/// The parts of a fold most jobs never set (a delay, a replay or batch link, a parent, children, a failure, an abort, a
/// compensation, progress, a retry time), kept in one object made when the first of them is set. A queued job's fold is
/// kept for as long as it waits, so a plain job's fold stays small (about half the size with them inline). Reads see
/// the defaults while there is none; writes go through <see cref="Rare"/>, except on a claim's path, which must not make it.
/// </summary>
internal sealed partial class JobStateBuilder
{
    private RareParts? _rare;

    /// <summary>Gets the job's parent, when it was started as a child.</summary>
    public JobId? ParentJobId => _rare?.ParentJobId;

    private RareParts Rare => _rare ??= new RareParts();

    private DateTimeOffset? RunAt => _rare?.RunAt;

    private JobId? ReplayOf => _rare?.ReplayOf;

    private string? DedupeKey => _rare?.DedupeKey;

    private BatchId? BatchId => _rare?.BatchId;

    private ImmutableArray<JobChild> Children => _rare?.Children ?? [];

    private JobFailure? Failure => _rare?.Failure;

    private string? AbortReason => _rare?.AbortReason;

    private CompensationState? Compensation => _rare?.Compensation;

    private DateTimeOffset? NextAttemptAt => _rare?.NextAttemptAt;

    private JobProgress? ReportedProgress => _rare?.Progress;

    private bool DeadLettered => _rare?.DeadLettered ?? false;

    /// <summary>The rarely set parts of one fold (see the file's summary). Touched only by its builder.</summary>
    private sealed class RareParts
    {
        public DateTimeOffset? RunAt { get; set; }

        public JobId? ReplayOf { get; set; }

        public string? DedupeKey { get; set; }

        public BatchId? BatchId { get; set; }

        public JobId? ParentJobId { get; set; }

        public ImmutableArray<JobChild> Children { get; set; } = [];

        public JobFailure? Failure { get; set; }

        public string? AbortReason { get; set; }

        public CompensationState? Compensation { get; set; }

        public DateTimeOffset? NextAttemptAt { get; set; }

        public JobProgress? Progress { get; set; }

        public bool DeadLettered { get; set; }

        /// <summary>The creation options a <c>job.created</c> entry sets; null when it sets none (most jobs).</summary>
        public static RareParts? Of(JobEventLogEntry created)
        {
            DateTimeOffset? runAt = JobCreatedFact.ReadTime(created, ReservedAttributes.RunAt);
            JobId? replayOf = JobCreatedFact.ReadJobId(created, ReservedAttributes.ReplayOf);
            string? dedupeKey = JobCreatedFact.ReadText(created, ReservedAttributes.DedupeKey);
            BatchId? batchId = JobCreatedFact.ReadBatchId(created);
            JobId? parent = JobCreatedFact.ReadJobId(created, ReservedAttributes.Parent);
            return runAt is null && replayOf is null && dedupeKey is null && batchId is null && parent is null
                ? null
                : new RareParts { RunAt = runAt, ReplayOf = replayOf, DedupeKey = dedupeKey, BatchId = batchId, ParentJobId = parent };
        }

        /// <summary>The rare parts of a state a fold continues (made whether or not it has any: continuing a state is the projector's slow path).</summary>
        public static RareParts Of(JobState state) => new()
        {
            RunAt = state.RunAt,
            ReplayOf = state.ReplayOf,
            DedupeKey = state.DedupeKey,
            BatchId = state.BatchId,
            ParentJobId = state.ParentJobId,
            Children = state.Children.IsDefault ? [] : state.Children,
            Failure = state.Failure,
            AbortReason = state.AbortReason,
            Compensation = state.Compensation,
            NextAttemptAt = state.NextAttemptAt,
            Progress = state.Progress,
            DeadLettered = state.IsDeadLettered,
        };
    }
}
