namespace JobManagement;

/// <summary>Matches events by type and a declarative correlation predicate (and, optionally, a task).</summary>
/// <param name="EventType">The event type to match.</param>
/// <param name="Where">The correlation condition.</param>
/// <param name="TaskId">When set, only events for this task match.</param>
public sealed record EventMatcher(EventTypeId EventType, CorrelationPredicate Where, TaskId? TaskId = null)
{
    /// <summary>Tells whether an entry matches for a job with the given correlation values. Pure.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="jobCorrelation">The job's correlation values.</param>
    /// <returns>True on a match.</returns>
    public bool Matches(JobEventLogEntry entry, EventAttributes jobCorrelation)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Matches(entry.EventType, entry.TaskId, entry.Attributes, jobCorrelation);
    }

    /// <summary>Tells whether an event with this type, task and attributes matches for a job. Pure.</summary>
    /// <param name="eventType">The event's type.</param>
    /// <param name="taskId">The event's task, if any.</param>
    /// <param name="attributes">The event's attributes.</param>
    /// <param name="jobCorrelation">The job's correlation values.</param>
    /// <returns>True on a match.</returns>
    public bool Matches(EventTypeId eventType, TaskId? taskId, EventAttributes attributes, EventAttributes jobCorrelation) =>
        eventType == EventType
        && (TaskId is null || taskId == TaskId)
        && Where.Matches(attributes, jobCorrelation);

    /// <inheritdoc />
    public override string ToString() =>
        $"{EventType}{(TaskId is { } task ? $" [task {task}]" : string.Empty)} where {Where}";
}
