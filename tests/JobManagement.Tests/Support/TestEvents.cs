using System.Text.Json;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Support;

/// <summary>Short ways to write incoming events and creation requests.</summary>
public static class TestEvents
{
    public static DateTimeOffset OccurredAt { get; } = new(2026, 1, 1, 11, 0, 0, TimeSpan.Zero);

    /// <summary>A domain event correlated on <c>orderId</c>, routed by correlation unless <paramref name="jobId"/> is given.</summary>
    public static IncomingEvent Domain(string eventId, string type, string orderId = "42", string? jobId = null, string? taskId = null, JsonElement? payload = null, EventObservability? observability = null) => new()
    {
        EventId = EventId.Parse(eventId),
        Type = EventTypeId.Parse(type),
        OccurredAt = OccurredAt,
        JobId = jobId is null ? null : JobId.Parse(jobId),
        TaskId = taskId is null ? null : TaskId.Parse(taskId),
        Attributes = EventAttributes.Of(("orderId", orderId)),
        Payload = payload,
        Observability = observability ?? EventObservability.None,
    };

    public static CreateJobRequest Create(string requestId, string? jobId = null, string orderId = "42", bool start = true, JobType? jobType = null) => new()
    {
        JobType = jobType ?? TestPlans.OrderType,
        RequestId = EventId.Parse(requestId),
        JobId = jobId is null ? null : JobId.Parse(jobId),
        Correlation = EventAttributes.Of(("orderId", orderId)),
        Start = start,
    };
}
