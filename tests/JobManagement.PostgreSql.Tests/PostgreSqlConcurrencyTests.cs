using System.Collections.Concurrent;
using Npgsql;
using static JobManagement.PostgreSql.Tests.TestEvents;
using EventId = JobManagement.EventId;

namespace JobManagement.PostgreSql.Tests;

public sealed class PostgreSqlConcurrencyTests : IAsyncLifetime
{
    private readonly TemporarySchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [PostgreSqlFact]
    public async Task AppendAsync_TwoNodesDeliverSameEventsWithExactVersions_OneEntryPerEventId()
    {
        PostgreSqlJobEventJournal[] nodes = [_schema.Open(), _schema.Open()];
        const int streams = 4;
        const int eventsPerStream = 40;
        var appended = new ConcurrentBag<EventId>();

        // Each node delivers every event of every stream (redelivery across nodes), two workers per node,
        // always expecting the version it last read: the database decides who wins.
        await Task.WhenAll(nodes.SelectMany(node => Enumerable.Range(0, 2).Select(worker => Task.Run(async () =>
        {
            for (int i = 0; i < eventsPerStream; i++)
            {
                for (int s = 0; s < streams; s++)
                {
                    int stream = (s + worker) % streams;
                    JobId jobId = JobId.Parse($"job-{stream}");
                    NewJobEvent next = Event($"evt-{stream}-{i}");
                    while (true)
                    {
                        long version = await node.GetStreamVersionAsync(jobId);
                        try
                        {
                            AppendResult result = await node.AppendAsync(jobId, ExpectedStreamVersion.Exactly(version), [next]);
                            if (!result.Outcomes[0].IsDuplicate)
                            {
                                appended.Add(next.EventId);
                            }

                            break;
                        }
                        catch (JobConcurrencyException conflict)
                        {
                            conflict.ActualVersion.Should().BeGreaterThan(version);
                        }
                    }
                }
            }
        }))));

        appended.Should().HaveCount(streams * eventsPerStream).And.OnlyHaveUniqueItems("each event id was appended by exactly one node");
        IReadOnlyList<JobEventLogEntry> all = await nodes[0].ReadAllAsync(1, 10_000);
        all.Should().HaveCount(streams * eventsPerStream);
        ShouldBeWellFormed(all);
        (await nodes[1].ReadAllAsync(1, 10_000)).Should().BeEquivalentTo(all, o => o.WithStrictOrdering(), "both nodes read the same journal");
    }

    [PostgreSqlFact]
    public async Task ReadAllAsync_ConcurrentWritersOnTwoNodes_ReaderSeesEveryEntryOnceInOrder()
    {
        PostgreSqlJobEventJournal[] nodes = [_schema.Open(), _schema.Open()];
        PostgreSqlJobEventJournal reader = _schema.Open();
        const int writers = 6;
        const int appendsPerWriter = 60;
        int expected = 0;

        Task[] writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < appendsPerWriter; i++)
            {
                // Batches of 1-3 events, to streams shared between writers.
                NewJobEvent[] batch = Enumerable.Range(0, 1 + (i % 3)).Select(k => Event($"evt-{w}-{i}-{k}")).ToArray();
                await nodes[w % 2].AppendAsync(JobId.Parse($"job-{(w + i) % 5}"), ExpectedStreamVersion.Any, batch);
                Interlocked.Add(ref expected, batch.Length);
            }
        })).ToArray();
        Task allWritten = Task.WhenAll(writing);

        // The reader polls from its last position, as a subscription would, while the writers run.
        var seen = new List<JobEventLogEntry>();
        long next = 1;
        int polls = 0;
        while (!allWritten.IsCompleted || next <= Volatile.Read(ref expected))
        {
            IReadOnlyList<JobEventLogEntry> page = await reader.ReadAllAsync(next, 50);
            polls++;
            foreach (JobEventLogEntry entry in page)
            {
                entry.Position.Should().Be(next, "a reader from its last position never skips an entry");
                next++;
                seen.Add(entry);
            }

            if (page.Count == 0 && allWritten.IsFaulted)
            {
                await allWritten;
            }
        }

        await allWritten;
        seen.Should().HaveCount(expected);
        seen.Select(e => (e.JobId, e.EventId)).Should().OnlyHaveUniqueItems();
        seen.Select(e => e.EventId).Should().BeEquivalentTo((await reader.ReadAllAsync(1, 100_000)).Select(e => e.EventId));
        polls.Should().BeGreaterThan(1, "the reader ran while the writers did");
        ShouldBeWellFormed(seen);
    }

    [PostgreSqlFact]
    public async Task AppendAsync_SixtyFourConcurrentCallers_EachLearnsItsOwnOutcome()
    {
        PostgreSqlJobEventJournal sut = _schema.Open(o => o.MaxBatchWait = TimeSpan.FromMilliseconds(20));
        await sut.AppendAsync(JobId.Parse("job-conflict"), ExpectedStreamVersion.NoStream, [Event("evt-seed")]);
        await sut.AppendAsync(JobId.Parse("job-dup"), ExpectedStreamVersion.NoStream, [Event("evt-dup")]);
        const int callers = 64;

        // Callers 0-47: new events (with a shared second id per stream: appended once, duplicate afterwards).
        // Callers 48-55: redeliveries of a recorded event. Callers 56-63: a stale expected version.
        Task<object>[] calls = Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            try
            {
                return i switch
                {
                    < 48 => (object)await sut.AppendAsync(JobId.Parse($"job-{i % 8}"), ExpectedStreamVersion.Any, [Event($"evt-{i}"), Event($"evt-{i % 8}-shared")]),
                    < 56 => await sut.AppendAsync(JobId.Parse("job-dup"), ExpectedStreamVersion.Exactly(0), [Event("evt-dup")]),
                    _ => await sut.AppendAsync(JobId.Parse("job-conflict"), ExpectedStreamVersion.Exactly(0), [Event($"evt-late-{i}")]),
                };
            }
            catch (JobConcurrencyException conflict)
            {
                return conflict;
            }
        })).ToArray();
        object[] outcomes = await Task.WhenAll(calls);

        AppendResult[] fresh = outcomes[..48].Cast<AppendResult>().ToArray();
        fresh.Should().OnlyContain(r => r.Outcomes.Length == 2 && !r.Outcomes[0].IsDuplicate);
        fresh.Count(r => !r.Outcomes[1].IsDuplicate).Should().Be(8, "each stream's shared id is appended once");
        outcomes[48..56].Should().AllBeOfType<AppendResult>().And.OnlyContain(r => ((AppendResult)r).AllDuplicates, "a duplicate skips the version check");
        outcomes[56..].Should().AllBeOfType<JobConcurrencyException>().And.OnlyContain(e => ((JobConcurrencyException)e).ActualVersion == 1);
        IReadOnlyList<JobEventLogEntry> all = await sut.ReadAllAsync(1, 10_000);
        all.Should().HaveCount(2 + 48 + 8);
        ShouldBeWellFormed(all);
    }

    [PostgreSqlFact]
    public async Task AppendAsync_ForeignWriterHoldsTheSequence_OnlyThatRequestConflicts()
    {
        var logger = new ListLogger<PostgreSqlJobEventJournal>();
        string application = "jm-foreign-" + Guid.NewGuid().ToString("N")[..8];
        PostgreSqlJobEventJournal sut = _schema.Open(o => o.MaxBatchWait = TimeSpan.FromMilliseconds(200), logger, $"{_schema.ConnectionString};Application Name={application}");
        await sut.InitializeAsync();

        // A writer that ignores the position lock inserts job-1's sequence 1 and keeps its transaction open.
        await using var foreign = new NpgsqlConnection(_schema.ConnectionString);
        await foreign.OpenAsync();
        await using NpgsqlTransaction transaction = await foreign.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand($"INSERT INTO \"{_schema.Name}\".entries (position, stream, sequence, event_id, event_type, lane, occurred_ticks, occurred_offset, recorded_ticks, recorded_offset, attributes, checksum) VALUES (1000000, 'job-1', 1, 'evt-foreign', 'payment.captured', 0, 0, 0, 0, 0, '{{}}', '\\x00')", foreign, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        Task<AppendResult> blocked = sut.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [Event("evt-1")]).AsTask();
        Task<AppendResult> bystander = sut.AppendAsync(JobId.Parse("job-2"), ExpectedStreamVersion.NoStream, [Event("evt-2")]).AsTask();
        await WaitUntilBlockedAsync(application);
        await transaction.CommitAsync();

        (await FluentActions.Awaiting(() => blocked).Should().ThrowAsync<JobConcurrencyException>()).Which.ActualVersion.Should().Be(1);
        (await bystander).Outcomes.Should().ContainSingle().Which.Entry.Sequence.Should().Be(1);
        (await sut.GetStreamVersionAsync(JobId.Parse("job-2"))).Should().Be(1);
        logger.Records.Should().Contain(r => r.EventId == 1202, "the unique violation sent the batch down the savepoint-per-request path");
    }

    private async Task WaitUntilBlockedAsync(string application)
    {
        // The writer's insert waits on the foreign transaction's uncommitted unique key. Each check is
        // a round trip to the server, which paces the loop; the deadline is only a safety net.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await _schema.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'transactionid' AND application_name = '{application}'") > 0)
            {
                return;
            }
        }

        throw new TimeoutException("The journal's writer never blocked on the foreign writer's row.");
    }
}
