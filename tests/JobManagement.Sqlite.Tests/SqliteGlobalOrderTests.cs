using EventId = JobManagement.EventId;

namespace JobManagement.Sqlite.Tests;

/// <summary>
/// A reader following "everything from position P" while writers append concurrently must see every
/// entry exactly once. The SQLite journal assigns positions inside the single write lock, so they
/// commit in order; this test holds it to that.
/// </summary>
public sealed class SqliteGlobalOrderTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ReadAllAsync_FollowingConcurrentWriters_SeesEveryEntryExactlyOnce()
    {
        await using SqliteJobEventJournal sut = _database.Open();
        const int writers = 8;
        const int appendsPerWriter = 60;
        using var done = new CancellationTokenSource();

        Task[] writing = [.. Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < appendsPerWriter; i++)
            {
                await sut.AppendAsync(JobId.Parse($"job-{w}-{i % 5}"), ExpectedStreamVersion.Any, [Event($"w{w}-{i}-a"), Event($"w{w}-{i}-b")]);
            }
        }))];
        Task allWritten = Task.WhenAll(writing).ContinueWith(_ => done.Cancel(), TaskScheduler.Default);

        List<JobEventLogEntry> seen = [];
        long next = 1;
        bool finalPass = false;
        while (true)
        {
            IReadOnlyList<JobEventLogEntry> page = await sut.ReadAllAsync(next, 100);
            foreach (JobEventLogEntry entry in page)
            {
                entry.Position.Should().Be(next, "a follower never skips a position");
                seen.Add(entry);
                next = entry.Position + 1;
            }

            if (page.Count == 0)
            {
                if (finalPass)
                {
                    break;
                }

                finalPass = done.IsCancellationRequested;
                await Task.Yield();
            }
        }

        await allWritten;
        seen.Should().HaveCount(writers * appendsPerWriter * 2);
        seen.Select(e => (e.JobId, e.EventId)).Should().OnlyHaveUniqueItems();
    }

    private static NewJobEvent Event(string id) => new()
    {
        EventId = EventId.Parse(id),
        EventType = EventTypeId.Parse("step.done"),
        Lane = EventLane.Domain,
        OccurredAt = DateTimeOffset.UnixEpoch,
        RecordedAt = DateTimeOffset.UnixEpoch,
    };
}
