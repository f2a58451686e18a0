namespace JobManagement;

/// <summary>
/// Writes the child facts a parent's stream records. Their event ids are derived from the child's id
/// alone, so however often a notification is repeated (a retry, a redelivery, a repair after a crash)
/// the parent's stream holds each fact once. The <c>$</c> keeps them apart from producers' ids.
/// </summary>
internal static class ChildFacts
{
    public static NewJobEvent Created(JobId child, DateTimeOffset now) =>
        EventContent.Execution(CreatedId(child), ExecutionEventTypes.ChildCreated, now, EventAttributes.CreateTrusted([KeyValuePair.Create(ReservedAttributes.Child, child.Value)]));

    public static NewJobEvent Completed(JobId child, JobStatus status, DateTimeOffset now) =>
        EventContent.Execution(CompletedId(child), ExecutionEventTypes.ChildCompleted, now, EventAttributes.CreateTrusted(
            [KeyValuePair.Create(ReservedAttributes.Child, child.Value), KeyValuePair.Create(ReservedAttributes.ChildStatus, status.ToString())]));

    public static EventId CreatedId(JobId child) => EventId.Parse($"$child:{child.Value}/created");

    public static EventId CompletedId(JobId child) => EventId.Parse($"$child:{child.Value}/completed");
}
