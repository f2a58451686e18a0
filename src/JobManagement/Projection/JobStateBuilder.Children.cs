namespace JobManagement;

/// <summary>
/// The fold of the child facts in a parent's stream: <c>job.child.created</c> and <c>job.child.completed</c>
/// keep <see cref="JobState.Children"/>; for a plan that waits for its children they also decide the
/// job's outcome (see docs/state-machine.md). Either fact may come first: each names its child.
/// </summary>
internal sealed partial class JobStateBuilder
{
    /// <summary>Whether the children let the job succeed: always, unless the plan waits for them and one has not succeeded.</summary>
    private bool ChildrenAllowSuccess()
    {
        if (!_plan.WaitsForChildren)
        {
            return true;
        }

        foreach (JobChild child in Children)
        {
            if (child.Status != JobStatus.Succeeded)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Applies a child fact; null when the entry is not one. Status is Created or Running here.</summary>
    private EntryEffect? TryApplyChildFact(JobEventLogEntry entry)
    {
        bool created = entry.EventType == ExecutionEventTypes.ChildCreated;
        if (!created && entry.EventType != ExecutionEventTypes.ChildCompleted)
        {
            return null;
        }

        JobId child = ReadChild(entry);
        int index = IndexOfChild(child);
        if (created)
        {
            if (index >= 0)
            {
                _recordedOnly++;
                return EntryEffect.RecordedOnly;
            }

            Rare.Children = Children.Add(new JobChild(child, null));
            return EntryEffect.Applied;
        }

        JobStatus status = ReadChildStatus(entry);
        if (index >= 0 && Children[index].Status is not null)
        {
            _recordedOnly++;
            return EntryEffect.RecordedOnly;
        }

        var completed = new JobChild(child, status);
        Rare.Children = index >= 0 ? Children.SetItem(index, completed) : Children.Add(completed);
        if (_plan.WaitsForChildren)
        {
            if (status != JobStatus.Succeeded)
            {
                Fail(new JobFailure($"child job '{child}' ended {status}", null, EntryReference.Of(entry), entry.EventType), entry);
            }
            else if (_status == JobStatus.Running)
            {
                CompleteIfSatisfied(entry);
            }
        }

        return EntryEffect.Applied;
    }

    private int IndexOfChild(JobId child)
    {
        for (int i = 0; i < Children.Length; i++)
        {
            if (Children[i].ChildJobId == child)
            {
                return i;
            }
        }

        return -1;
    }

    private static JobId ReadChild(JobEventLogEntry entry) =>
        entry.Attributes.TryGetValue(ReservedAttributes.Child, out string? text) && JobId.TryParse(text, out JobId child) && !child.IsReservedStream
            ? child
            : throw new JobJournalCorruptionException(entry.JobId, entry.Sequence, $"{entry.EventType} has no valid {ReservedAttributes.Child} attribute.");

    private static JobStatus ReadChildStatus(JobEventLogEntry entry) =>
        entry.Attributes.TryGetValue(ReservedAttributes.ChildStatus, out string? text)
        && text is { Length: > 0 } && char.IsAsciiLetter(text[0])
        && Enum.TryParse(text, ignoreCase: false, out JobStatus status) && status.IsTerminal()
            ? status
            : throw new JobJournalCorruptionException(entry.JobId, entry.Sequence, $"{entry.EventType} has no terminal {ReservedAttributes.ChildStatus} attribute.");
}
