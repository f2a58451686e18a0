using JobManagement.Sqlite;
using System.Globalization;
using EventId = JobManagement.EventId; // Microsoft.Extensions.Logging has an EventId too

namespace JobManagement.Benchmarks.Durable;

/// <summary>
/// The rows every durable measurement writes: <c>count</c> domain events with fresh ids, spread
/// round-robin over <c>streams</c> streams, no attributes and no payload, so the journal writes
/// exactly one <c>entries</c> row per event (no attribute-index rows) and the raw baselines insert
/// the very same row values (checksum included, computed by the journal's own codec).
/// </summary>
internal sealed class DurableRows
{
    private static readonly EventTypeId Type = EventTypeId.Parse("item.scanned");

    public DurableRows(int count, int streams, string prefix = "e")
    {
        Streams = new JobId[count];
        Events = new NewJobEvent[count];
        Raw = new RawRow[count];
        JobId[] ids = [.. Enumerable.Range(0, Math.Min(streams, count)).Select(static s => JobId.Parse(string.Create(CultureInfo.InvariantCulture, $"job-{s}")))];
        string attributes = JournalRowCodec.AttributesJson(EventAttributes.Empty);
        var compact = new JournalBodyCodec();
        for (int i = 0; i < count; i++)
        {
            JobId stream = ids[i % ids.Length];
            long sequence = (i / ids.Length) + 1;
            var e = new NewJobEvent
            {
                EventId = EventId.Parse(string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}")),
                EventType = Type,
                Lane = EventLane.Domain,
                OccurredAt = Workload.OccurredAt,
                RecordedAt = Workload.OccurredAt.AddSeconds(1),
            };
            Streams[i] = stream;
            Events[i] = e;
            JournalBody body = compact.Encode(e.ToEntry(stream, sequence, i + 1));
            Raw[i] = new RawRow(
                stream.Value,
                sequence,
                e.EventId.Value,
                e.EventType.Value,
                (int)e.Lane,
                e.OccurredAt.UtcTicks,
                JournalRowCodec.OffsetMinutes(e.OccurredAt),
                e.RecordedAt.UtcTicks,
                JournalRowCodec.OffsetMinutes(e.RecordedAt),
                attributes,
                JournalRowCodec.Checksum(stream, sequence, e, attributes, null),
                body.Body,
                body.Checksum);
        }
    }

    public int Count => Events.Length;

    public JobId[] Streams { get; }

    public NewJobEvent[] Events { get; }

    public RawRow[] Raw { get; }

    /// <summary>
    /// Appends every event through the journal, one new event per call, from <paramref name="producers"/>
    /// concurrent producers taking the next index from a shared counter; returns events/s.
    /// </summary>
    public async Task<Measurement> AppendAllAsync(IJobEventJournal journal, int producers)
    {
        int next = -1;
        var meter = new Meter();
        Task[] tasks = new Task[producers];
        for (int p = 0; p < producers; p++)
        {
            tasks[p] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Events.Length)
                {
                    AppendResult result = await journal.AppendAsync(Streams[i], ExpectedStreamVersion.Any, Events[i]);
                    if (result.Outcomes.Length != 1 || result.Outcomes[0].IsDuplicate)
                    {
                        throw new InvalidOperationException($"event {i} was not appended as a new entry.");
                    }
                }
            });
        }

        await Task.WhenAll(tasks);
        return meter.Stop(Events.Length);
    }
}

/// <summary>
/// One <c>entries</c> row, as the journal would write it (position assigned by the database or the writer):
/// the 17-column layout PostgreSQL stores (<see cref="JournalRowCodec"/>), and the body and checksum of the
/// SQLite layout (<see cref="JournalBodyCodec"/>, schema 2).
/// </summary>
internal sealed record RawRow(
    string Stream,
    long Sequence,
    string EventId,
    string EventType,
    int Lane,
    long OccurredTicks,
    int OccurredOffset,
    long RecordedTicks,
    int RecordedOffset,
    string Attributes,
    byte[] Checksum,
    byte[] Body,
    byte[] BodyChecksum);
