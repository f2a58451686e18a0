using System.Collections.Concurrent;

namespace JobManagement;

/// <summary>
/// Hears, under a child's gate, that a job with a parent became terminal, and keeps it until the engine,
/// holding no gate, appends <c>job.child.completed</c> to the parent. Appending from the listener itself
/// would take the parent's gate inside the child's: two jobs could then wait for each other.
/// </summary>
internal sealed class ChildCompletionQueue : IJobChangeListener
{
    private readonly ConcurrentQueue<ChildCompletion> _pending = new();

    public bool IsInterestedIn(JobPlan plan, JobStatus status) => status.IsTerminal();

    public void OnChanged(JobSlot slot, JobStatus? statusBefore)
    {
        // Only an end this process witnessed (not a read of a job that ended long ago, which would queue
        // work on every read); an end that was missed is repaired by SyncChildrenAsync.
        if (slot.ParentJobId is { } parent && statusBefore is { } before && !before.IsTerminal())
        {
            _pending.Enqueue(new ChildCompletion(parent, slot.JobId, slot.Status));
        }
    }

    public bool TryTake(out ChildCompletion completion) => _pending.TryDequeue(out completion);
}

/// <summary>A child that became terminal, to be recorded in its parent's stream.</summary>
internal readonly record struct ChildCompletion(JobId Parent, JobId Child, JobStatus Status);
