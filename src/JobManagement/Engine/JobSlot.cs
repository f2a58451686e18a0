using System.Text.Json;

namespace JobManagement;

/// <summary>
/// A job's state as the engine keeps it between calls: the projector's fold, still open, so that
/// applying one more entry costs no copy of the state. The immutable <see cref="JobState"/> is made
/// only when someone asks, and kept until the next entry. Touched only under the job's gate.
/// </summary>
internal sealed class JobSlot(JobStateBuilder builder)
{
    private JobState? _snapshot;

    /// <summary>Gets the job's id, kept on the slot itself: the cache reads it when it lets a slot go, long after the fold was last touched.</summary>
    public JobId JobId { get; } = builder.JobId;

    public JobPlan Plan => builder.Plan;

    public JobId? ParentJobId => builder.ParentJobId;

    public JobStatus Status => builder.Status;

    public EventAttributes Correlation => builder.Correlation;

    public JsonElement? Input => builder.Input;

    public long Version => builder.Version;

    /// <summary>Gets the journal position of the last entry folded into the slot.</summary>
    public long LastPosition => builder.LastPosition;

    public DateTimeOffset CreatedAt => builder.CreatedAt;

    public int TransitionCount => builder.TransitionCount;

    public JobState State => _snapshot ??= builder.ToState();

    public JobRunFacts RunFacts => builder.RunFacts();

    public TransitionFacts TransitionAt(int index) => builder.TransitionAt(index);

    public EntryEffect Apply(JobEventLogEntry entry)
    {
        EntryEffect effect = builder.Apply(entry);
        if (effect != EntryEffect.AlreadyApplied)
        {
            _snapshot = null;
        }

        return effect;
    }
}
