using EventId = JobManagement.EventId;

namespace JobManagement.PostgreSql.Tests;

internal static class TestEvents
{
    public static NewJobEvent Event(string id, string orderId = "42") => new()
    {
        EventId = EventId.Parse(id),
        EventType = EventTypeId.Parse("payment.captured"),
        Lane = EventLane.Domain,
        OccurredAt = DateTimeOffset.UnixEpoch,
        RecordedAt = DateTimeOffset.UnixEpoch,
        Attributes = EventAttributes.Of(("orderId", orderId)),
    };

    /// <summary>Checks the invariants of a whole journal: dense positions, contiguous sequences, each event id once per stream.</summary>
    public static void ShouldBeWellFormed(IReadOnlyList<JobEventLogEntry> all)
    {
        all.Select(e => e.Position).Should().Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), "positions are dense and ordered");
        foreach (IGrouping<JobId, JobEventLogEntry> stream in all.GroupBy(e => e.JobId))
        {
            stream.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, stream.Count()).Select(i => (long)i), $"stream {stream.Key} has contiguous sequences");
            stream.Select(e => e.EventId).Should().OnlyHaveUniqueItems($"stream {stream.Key} holds each event id once");
        }
    }
}
