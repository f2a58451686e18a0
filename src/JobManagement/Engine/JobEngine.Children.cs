namespace JobManagement;

/// <summary>
/// Parent and child jobs: a child's creation and end are recorded in its parent's stream
/// (<c>job.child.created</c>, <c>job.child.completed</c>), always after the child's own append has
/// returned and its gate is released, never from inside it.
/// </summary>
public sealed partial class JobEngine
{
    /// <summary>Throws naming <see cref="CreateJobRequest.ParentJobId"/> when the request names a parent that does not exist.</summary>
    private async ValueTask CheckParentAsync(CreateJobRequest request, string parameter, CancellationToken cancellationToken)
    {
        if (request.ParentJobId is { } parent && await _streams.GetCurrentAsync(parent, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new InvalidJobRequestException(parameter, nameof(CreateJobRequest.ParentJobId), $"ParentJobId '{parent}' names no job: a parent must exist before its children.");
        }
    }

    /// <summary>
    /// Appends the <c>job.child.completed</c> facts heard since the last call to the parents' streams. Each
    /// public call that may end a job calls it after releasing every gate; the worker calls it after its
    /// appends. A failure is logged and left to <see cref="SyncChildrenAsync"/> (the fact is idempotent).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call; notifications not made yet are left to <see cref="SyncChildrenAsync"/>.</param>
    internal async ValueTask NotifyParentsAsync(CancellationToken cancellationToken)
    {
        while (_childCompletions.TryTake(out ChildCompletion done))
        {
            try
            {
                await RecordChildFactAsync(done.Parent, ChildFacts.Completed(done.Child, done.Status, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.ParentNotificationFailed(_logger, done.Parent, done.Child, exception);
            }
        }
    }

    /// <summary>
    /// Repairs a parent's record of its children: for every child (those its stream names, and every job
    /// created with it as <c>job.parent</c>), appends a missing <c>job.child.created</c>, and a missing
    /// <c>job.child.completed</c> when the child is terminal. Needed after a crash between a child's end and
    /// its parent's notification, which <see cref="GetStateAsync"/> alone does not repair (a read never
    /// appends). Idempotent; the worker's startup scan and <see cref="GetBatchAsync"/> call it.
    /// </summary>
    /// <param name="parentId">The parent.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The parent's state afterwards; null when it does not exist.</returns>
    internal async ValueTask<JobState?> SyncChildrenAsync(JobId parentId, CancellationToken cancellationToken)
    {
        ThrowIfNotAJob(parentId);
        JobState? parent = await _streams.GetCurrentAsync(parentId, cancellationToken).ConfigureAwait(false);
        if (parent is null)
        {
            return null;
        }

        List<JobId> children = [.. parent.Children.Select(static c => c.ChildJobId)];
        foreach (JobPlan plan in _plans.Plans)
        {
            foreach (JobId child in await _journal.FindJobsAsync(new JobLookup(plan.JobType, ReservedAttributes.Parent, parentId.Value), cancellationToken).ConfigureAwait(false))
            {
                if (!children.Contains(child))
                {
                    children.Add(child);
                }
            }
        }

        foreach (JobId childId in children)
        {
            JobState? child = await _streams.GetCurrentAsync(childId, cancellationToken).ConfigureAwait(false);
            if (child is null || child.ParentJobId != parentId)
            {
                continue;
            }

            await RecordChildFactAsync(parentId, ChildFacts.Created(childId, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            if (child.IsTerminal)
            {
                await RecordChildFactAsync(parentId, ChildFacts.Completed(childId, child.Status, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            }
        }

        await NotifyParentsAsync(cancellationToken).ConfigureAwait(false);
        return await _streams.GetCurrentAsync(parentId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends a child fact to the parent's stream, unless the parent already records it. Caller holds no gate.</summary>
    private async ValueTask RecordChildFactAsync(JobId parentId, NewJobEvent fact, CancellationToken cancellationToken)
    {
        using (await _streams.LockAsync(parentId, cancellationToken).ConfigureAwait(false))
        {
            JobSlot? slot = await _streams.GetForWriteAsync(parentId, cancellationToken).ConfigureAwait(false);
            if (slot is null || AlreadyRecorded(slot.State, fact))
            {
                return;
            }

            StreamAppend append = await _streams.AppendAsync(slot, fact, cancellationToken).ConfigureAwait(false);
            if (!append.Result.AllDuplicates)
            {
                LogTransitions(append.Slot, append.TransitionsBefore);
            }
        }
    }

    /// <summary>Whether the parent's state already shows what the fact would record (saves an append; the fact's id makes a repeat harmless anyway).</summary>
    private static bool AlreadyRecorded(JobState parent, NewJobEvent fact)
    {
        string child = fact.Attributes[ReservedAttributes.Child];
        JobChild? known = parent.Children.FirstOrDefault(c => c.ChildJobId.Value == child);
        return known is not null && (fact.EventType == ExecutionEventTypes.ChildCreated || known.IsCompleted);
    }
}
