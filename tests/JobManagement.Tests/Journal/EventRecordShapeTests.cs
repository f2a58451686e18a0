using System.Text.Json;

namespace JobManagement.Tests.Journal;

/// <summary>
/// <see cref="NewJobEvent"/> and <see cref="JobEventLogEntry"/> keep their times as ticks and offsets and their task id and
/// payload behind one reference. These tests hold them to behaving as plain records of their properties: the same values
/// back (offset included), equality and hashing by every property (times as instants), and <c>with</c> changing one field only.
/// </summary>
public sealed class EventRecordShapeTests
{
    private static readonly DateTimeOffset Occurred = new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.FromMinutes(-150)).AddTicks(7);
    private static readonly DateTimeOffset Recorded = new DateTimeOffset(2026, 11, 30, 11, 45, 0, TimeSpan.Zero).AddTicks(9);
    private static readonly JsonElement Sku = JsonDocument.Parse("""{"sku":"A-1"}""").RootElement; // one document: JsonElement equality is the document's

    [Fact]
    public void Times_ReadBackWithTheirOffsets_AndTheExtremesOfTheRange()
    {
        NewJobEvent created = Event() with { OccurredAt = DateTimeOffset.MinValue.ToOffset(TimeSpan.FromHours(14)), RecordedAt = DateTimeOffset.MaxValue.ToOffset(TimeSpan.FromHours(-14)) };
        JobEventLogEntry entry = created.ToEntry(JobId.Parse("job-1"), 1, 1);

        created.OccurredAt.EqualsExact(DateTimeOffset.MinValue.ToOffset(TimeSpan.FromHours(14))).Should().BeTrue();
        created.RecordedAt.EqualsExact(DateTimeOffset.MaxValue.ToOffset(TimeSpan.FromHours(-14))).Should().BeTrue();
        entry.OccurredAt.EqualsExact(created.OccurredAt).Should().BeTrue();
        entry.RecordedAt.EqualsExact(created.RecordedAt).Should().BeTrue();
        Event().OccurredAt.EqualsExact(Occurred).Should().BeTrue();
    }

    [Fact]
    public void Equality_IsByEveryProperty_WithTimesComparedAsInstants()
    {
        NewJobEvent one = Event();
        NewJobEvent sameInstantOtherOffset = Event() with { OccurredAt = Occurred.ToOffset(TimeSpan.FromHours(3)) };

        sameInstantOtherOffset.Should().Be(one, "DateTimeOffset compares instants, and so did these records");
        sameInstantOtherOffset.GetHashCode().Should().Be(one.GetHashCode());
        one.Should().NotBe(one with { OccurredAt = Occurred.AddTicks(1) });
        one.Should().NotBe(one with { RecordedAt = Recorded.AddTicks(1) });
        one.Should().NotBe(one with { TaskId = TaskId.Parse("other") });
        one.Should().NotBe(one with { TaskId = null });
        one.Should().NotBe(one with { Payload = null });
        one.Should().NotBe(one with { Attributes = EventAttributes.Empty });
        one.Should().NotBe(one with { Observability = new EventObservability("exec-1") });
        one.Should().NotBe(one with { EventId = EventId.Parse("evt-2") });
        one.Should().NotBe(one with { Lane = EventLane.Execution });

        JobEventLogEntry entry = one.ToEntry(JobId.Parse("job-1"), 3, 17);
        JobEventLogEntry twin = sameInstantOtherOffset.ToEntry(JobId.Parse("job-1"), 3, 17);
        twin.Should().Be(entry);
        twin.GetHashCode().Should().Be(entry.GetHashCode());
        entry.Should().NotBe(entry with { Position = 18 });
        entry.Should().NotBe(entry with { Sequence = 4 });
        entry.Should().NotBe(entry with { JobId = JobId.Parse("job-2") });
        entry.Should().NotBe(entry with { Payload = null });
        entry.Should().NotBe(entry with { RecordedAt = Recorded.AddTicks(-1) });
    }

    [Fact]
    public void With_ChangesOnlyTheFieldItNames_EvenWhereTwoShareAReference()
    {
        NewJobEvent both = Event();

        NewJobEvent noTask = both with { TaskId = null };
        noTask.TaskId.Should().BeNull();
        noTask.Payload!.Value.GetRawText().Should().Be(both.Payload!.Value.GetRawText());
        both.TaskId.Should().Be(TaskId.Parse("ship"), "the original is unchanged");

        NewJobEvent neither = noTask with { Payload = null };
        neither.Payload.Should().BeNull();
        neither.TaskId.Should().BeNull();
        neither.Should().Be(Event() with { TaskId = null, Payload = null });

        JobEventLogEntry entry = both.ToEntry(JobId.Parse("job-1"), 1, 1);
        (entry with { Payload = null }).TaskId.Should().Be(TaskId.Parse("ship"));
        (entry with { TaskId = null }).Payload!.Value.GetProperty("sku").GetString().Should().Be("A-1");
        entry.TaskId.Should().Be(TaskId.Parse("ship"));
    }

    [Fact]
    public void Entry_MadeByInitializer_EqualsTheEventsEntry_AndSerializesItsProperties()
    {
        NewJobEvent created = Event();
        var byInitializer = new JobEventLogEntry
        {
            Position = 5,
            JobId = JobId.Parse("job-1"),
            Sequence = 2,
            EventId = created.EventId,
            EventType = created.EventType,
            Lane = created.Lane,
            TaskId = created.TaskId,
            OccurredAt = created.OccurredAt,
            RecordedAt = created.RecordedAt,
            Attributes = created.Attributes,
            Payload = created.Payload,
            Observability = created.Observability,
        };

        byInitializer.Should().Be(created.ToEntry(JobId.Parse("job-1"), 2, 5));
        created.HasSameContentAs(byInitializer).Should().BeTrue();
        string json = JsonSerializer.Serialize(byInitializer);
        json.Should().Contain("\"OccurredAt\":\"2026-11-30T09:15:00.0000007-02:30\"").And.Contain("\"TaskId\":\"ship\"").And.NotContain("Extras");
    }

    private static NewJobEvent Event() => new()
    {
        EventId = EventId.Parse("evt-1"),
        EventType = EventTypeId.Parse("item.scanned"),
        Lane = EventLane.Domain,
        TaskId = TaskId.Parse("ship"),
        OccurredAt = Occurred,
        RecordedAt = Recorded,
        Attributes = EventAttributes.Of(("orderId", "o-1")),
        Payload = Sku,
    };
}
