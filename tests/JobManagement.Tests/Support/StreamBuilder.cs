using System.Text.Json;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Support;

/// <summary>
/// Writes a job's stream by hand for projector tests: sequences 1..n, positions, and a recording
/// time that moves one second per entry. No engine, no journal: given entries, expect a state.
/// </summary>
public sealed class StreamBuilder
{
    private readonly List<JobEventLogEntry> _entries = [];
    private readonly DateTimeOffset _start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public StreamBuilder(JobPlan plan, string jobId = "job-1", string orderId = "42")
    {
        Plan = plan;
        JobId = JobId.Parse(jobId);
        Add("created-1", ExecutionEventTypes.Created, EventLane.Execution,
            JobCreatedFact.Attributes(plan.JobType, EventAttributes.Of(("orderId", orderId))));
    }

    public JobPlan Plan { get; }

    public JobId JobId { get; }

    public IReadOnlyList<JobEventLogEntry> Entries => _entries;

    public JobEventLogEntry Last => _entries[^1];

    public StreamBuilder Started(string eventId = "start-1") =>
        Add(eventId, ExecutionEventTypes.Started, EventLane.Execution, EventAttributes.Empty);

    public StreamBuilder Domain(string eventId, string type, string orderId = "42", string? taskId = null, EventObservability? observability = null) =>
        Add(eventId, EventTypeId.Parse(type), EventLane.Domain, EventAttributes.Of(("orderId", orderId)), taskId, observability);

    public StreamBuilder AbortRequested(string reason, string eventId = "abort-1") =>
        Add(eventId, ExecutionEventTypes.AbortRequested, EventLane.Execution, Reason(reason));

    public StreamBuilder DeadlineExpired(string eventId = "deadline-1") =>
        Add(eventId, ExecutionEventTypes.DeadlineExpired, EventLane.Execution, EventAttributes.Empty);

    public StreamBuilder CompensationCompleted(string? detail = null, string eventId = "compensation-1") =>
        Add(eventId, ExecutionEventTypes.CompensationCompleted, EventLane.Execution, detail is null ? EventAttributes.Empty : Reason(detail));

    public StreamBuilder CompensationFailed(string? detail = null, string eventId = "compensation-1") =>
        Add(eventId, ExecutionEventTypes.CompensationFailed, EventLane.Execution, detail is null ? EventAttributes.Empty : Reason(detail));

    /// <summary>Appends an execution fact made by the engine's own writers (for example <c>ExecutionFacts</c>).</summary>
    public StreamBuilder Fact(NewJobEvent fact)
    {
        long sequence = _entries.Count + 1;
        _entries.Add(fact.ToEntry(JobId, sequence, sequence) with { OccurredAt = _start.AddSeconds(sequence), RecordedAt = _start.AddSeconds(sequence) });
        return this;
    }

    public JobState Project() => JobStateProjector.Project(Plan, _entries);

    private StreamBuilder Add(string eventId, EventTypeId type, EventLane lane, EventAttributes attributes, string? taskId = null, EventObservability? observability = null)
    {
        long sequence = _entries.Count + 1;
        _entries.Add(new JobEventLogEntry
        {
            Position = sequence,
            JobId = JobId,
            Sequence = sequence,
            EventId = EventId.Parse(eventId),
            EventType = type,
            Lane = lane,
            TaskId = taskId is null ? null : TaskId.Parse(taskId),
            OccurredAt = _start.AddSeconds(sequence),
            RecordedAt = _start.AddSeconds(sequence),
            Attributes = attributes,
            Payload = lane == EventLane.Domain ? JsonSerializer.SerializeToElement(new { n = sequence }) : null,
            Observability = observability ?? EventObservability.None,
        });
        return this;
    }

    private static EventAttributes Reason(string reason) =>
        EventAttributes.CreateTrusted([KeyValuePair.Create(ReservedAttributes.Reason, reason)]);
}
