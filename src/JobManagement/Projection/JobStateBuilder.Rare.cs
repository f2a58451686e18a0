using System.Collections.Immutable;

namespace JobManagement;

/// <summary>
/// The parts of a fold most jobs never set (a delay, a replay or batch link, children, a failure, an abort, a compensation,
/// progress, a retry), kept in one object made when the first of them is set. A queued job's fold is kept for as long as it
/// waits, so a plain job's fold stays small (about half the size with them inline).
/// </summary>
internal sealed partial class JobStateBuilder
{
    private RareParts? _rare;

    private RareParts Rare => _rare ??= new RareParts();

    /// <summary>Gets the job's parent, when it was started as a child.</summary>
    public JobId? ParentJobId
    {
        get => _rare?.ParentJobId;
        private set
        {
            if (value is not null || _rare is not null)
            {
                Rare.ParentJobId = value;
            }
        }
    }

    private DateTimeOffset? RunAt
    {
        get => _rare?.RunAt;
        set
        {
            if (value is not null || _rare is not null)
            {
                Rare.RunAt = value;
            }
        }
    }

    private JobId? ReplayOf
    {
        get => _rare?.ReplayOf;
        set
        {
            if (value is not null || _rare is not null)
            {
                Rare.ReplayOf = value;
            }
        }
    }

    private string? DedupeKey
    {
        get => _rare?.DedupeKey;
        set
        {
            if (value is not null || _rare is not null)
            {
                Rare.DedupeKey = value;
            }
        }
    }

    private BatchId? BatchId
    {
        get => _rare?.BatchId;
        set
        {
            if (value is not null || _rare is not null)
            {
                Rare.BatchId = value;
            }
        }
    }

    private ImmutableArray<JobChild> Children
    {
        get => _rare is null ? [] : _rare.Children;
        set
        {
            if (!value.IsDefaultOrEmpty || _rare is not null)
            {
                Rare.Children = value.IsDefault ? [] : value;
            }
        }
    }

    private JobFailure? Failure
    {
        get => _rare?.Failure;
        set
        {
            if (value is not null || _rare is not null)
            {
                Rare.Failure = value;
            }
        }
    }

    private string? AbortReason
    {
        get => _rare?.AbortReason;
        set
        {
            if (value is not null || _rare is not null)
            {
                Rare.AbortReason = value;
            }
        }
    }

    private CompensationState? Compensation
    {
        get => _rare?.Compensation;
        set
        {
            if (value is not null || _rare is not null)
            {
                Rare.Compensation = value;
            }
        }
    }

    private DateTimeOffset? NextAttemptAt
    {
        get => _rare?.NextAttemptAt;
        set
        {
            if (value is not null || _rare is not null)
            {
                Rare.NextAttemptAt = value;
            }
        }
    }

    private JobProgress? ReportedProgress
    {
        get => _rare?.Progress;
        set
        {
            if (value is not null || _rare is not null)
            {
                Rare.Progress = value;
            }
        }
    }

    private bool DeadLettered
    {
        get => _rare?.DeadLettered ?? false;
        set
        {
            if (value || _rare is not null)
            {
                Rare.DeadLettered = value;
            }
        }
    }

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
    }
}
