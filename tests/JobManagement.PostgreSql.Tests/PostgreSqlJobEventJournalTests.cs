using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static JobManagement.PostgreSql.Tests.TestEvents;
using EventId = JobManagement.EventId;

namespace JobManagement.PostgreSql.Tests;

public sealed class PostgreSqlJobEventJournalTests : IAsyncLifetime
{
    private readonly TemporarySchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [PostgreSqlFact]
    public async Task AppendAsync_EveryField_ReadsBackEqualAfterReopen()
    {
        NewJobEvent written = Event("evt-1") with
        {
            TaskId = TaskId.Parse("charge"),
            OccurredAt = new DateTimeOffset(2026, 11, 22, 5, 31, 11, 123, 456, TimeSpan.FromHours(2)).AddTicks(7),
            RecordedAt = new DateTimeOffset(2026, 11, 22, 3, 31, 12, 654, 321, TimeSpan.FromMinutes(-330)).AddTicks(3),
            Attributes = EventAttributes.Of(("orderId", "42"), ("region", "Île-de-France ✓ \"quoted\" \\ back")),
            Payload = JsonSerializer.SerializeToElement(new { amount = 12.5m, items = new[] { "a", "b" }, note = (string?)null, nested = new { deep = true } }),
            Observability = new EventObservability("exec-1", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"),
        };
        NewJobEvent execution = Event("evt-2") with { EventType = EventTypeId.Parse("job.attempt-started"), Lane = EventLane.Execution, Attributes = EventAttributes.Empty };
        await using (PostgreSqlJobEventJournal first = _schema.Open())
        {
            await first.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [written, execution]);
        }

        PostgreSqlJobEventJournal sut = _schema.Open();
        IReadOnlyList<JobEventLogEntry> all = await sut.ReadAllAsync(1, 10);

        all.Should().HaveCount(2);
        JobEventLogEntry read = all[0];
        read.Should().BeEquivalentTo(written.ToEntry(JobId.Parse("job-1"), 1, 1), o => o.Excluding(e => e.Payload));
        read.OccurredAt.Offset.Should().Be(TimeSpan.FromHours(2));
        read.OccurredAt.Ticks.Should().Be(written.OccurredAt.Ticks, "timestamps round-trip to the tick");
        read.RecordedAt.Offset.Should().Be(TimeSpan.FromMinutes(-330));
        read.RecordedAt.Ticks.Should().Be(written.RecordedAt.Ticks);
        JsonElement.DeepEquals(read.Payload!.Value, written.Payload!.Value).Should().BeTrue();
        read.Lane.Should().Be(EventLane.Domain);
        all[1].Should().BeEquivalentTo(execution.ToEntry(JobId.Parse("job-1"), 2, 2));
        all[1].Payload.Should().BeNull();
        all[1].Observability.Should().Be(EventObservability.None);
        (await sut.ReadStreamAsync(JobId.Parse("job-1")).ToListAsync()).Should().BeEquivalentTo(all, o => o.Excluding(e => e.Payload));
        (await sut.FindByEventIdAsync(EventId.Parse("evt-1"))).Should().ContainSingle().Which.Position.Should().Be(1);
        (await sut.GetStreamVersionAsync(JobId.Parse("job-1"))).Should().Be(2);
        (await sut.FindRecordedEventsAsync(new RecordedEventLookup(null, "region", "Île-de-France ✓ \"quoted\" \\ back")).ToListAsync()).Should().ContainSingle();
        (await sut.FindRecordedEventsAsync(new RecordedEventLookup(EventTypeId.Parse("payment.captured"))).ToListAsync()).Should().ContainSingle().Which.EventId.Should().Be(EventId.Parse("evt-1"));
        (await sut.FindRecordedEventsAsync(new RecordedEventLookup(EventTypeId.Parse("job.attempt-started"))).ToListAsync()).Should().BeEmpty("execution entries are not domain events");
    }

    [PostgreSqlFact]
    public async Task AppendAsync_DuplicatesAndStaleVersion_FollowTheContract()
    {
        PostgreSqlJobEventJournal sut = _schema.Open();
        JobId job = JobId.Parse("job-1");
        await sut.AppendAsync(job, ExpectedStreamVersion.NoStream, [Event("evt-1"), Event("evt-2")]);

        // Stale version with something new: refused, nothing appended.
        Func<Task> stale = async () => await sut.AppendAsync(job, ExpectedStreamVersion.Exactly(1), [Event("evt-1"), Event("evt-3")]);
        (await stale.Should().ThrowAsync<JobConcurrencyException>()).Which.ActualVersion.Should().Be(2);

        // Only duplicates: the version is not checked; a changed redelivery is flagged, the original wins.
        AppendResult duplicates = await sut.AppendAsync(job, ExpectedStreamVersion.Exactly(0), [Event("evt-2", orderId: "43"), Event("evt-1")]);
        duplicates.AllDuplicates.Should().BeTrue();
        duplicates.StreamVersion.Should().Be(2);
        duplicates.Outcomes.Select(o => (o.Entry.Sequence, o.IsConflict)).Should().Equal((2L, true), (1L, false));

        // The same id in another stream is a new entry there; lookups return one per stream in position order.
        await sut.AppendAsync(JobId.Unrouted, ExpectedStreamVersion.Any, [Event("evt-1")]);
        (await sut.FindByEventIdAsync(EventId.Parse("evt-1"))).Select(e => (e.JobId, e.Position)).Should().Equal((job, 1L), (JobId.Unrouted, 3L));
        (await sut.GetStreamVersionAsync(JobId.Parse("job-none"))).Should().Be(0);
        (await sut.ReadStreamAsync(job, fromSequence: 2).ToListAsync()).Should().ContainSingle().Which.EventId.Should().Be(EventId.Parse("evt-2"));
    }

    [PostgreSqlFact]
    public async Task InitializeAsync_NewerSchema_IsRefusedNotDowngraded()
    {
        await using (PostgreSqlJobEventJournal first = _schema.Open())
        {
            await first.InitializeAsync();
        }

        await _schema.ExecuteAsync("INSERT INTO {schema}.schema_version (version) VALUES (99)");

        PostgreSqlJobEventJournal sut = _schema.Open();
        Func<Task> act = async () => await sut.InitializeAsync();

        (await act.Should().ThrowAsync<JobJournalSchemaException>()).Which.Message.Should().Contain("99").And.Contain(_schema.Name);
        (await _schema.ScalarAsync<int>("SELECT MAX(version) FROM {schema}.schema_version")).Should().Be(99, "the schema is never downgraded");
    }

    [PostgreSqlFact]
    public async Task InitializeAsync_SchemaOfAnotherApplication_IsRefused()
    {
        await _schema.ExecuteAsync("CREATE SCHEMA {schema}; CREATE TABLE {schema}.customers (id integer PRIMARY KEY, name text)");

        PostgreSqlJobEventJournal sut = _schema.Open();
        Func<Task> act = async () => await sut.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.Any, [Event("evt-1")]);

        (await act.Should().ThrowAsync<JobJournalSchemaException>()).Which.Message.Should().Contain("not a JobManagement journal");
    }

    [PostgreSqlFact]
    public async Task InitializeAsync_ManyNodesAtOnce_CreateTheSchemaOnce()
    {
        PostgreSqlJobEventJournal[] nodes = Enumerable.Range(0, 6).Select(_ => _schema.Open()).ToArray();

        await Task.WhenAll(nodes.Select(node => Task.Run(async () => await node.InitializeAsync())));

        (await _schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.schema_version")).Should().Be(1);
    }

    [PostgreSqlFact]
    public async Task ReadStreamAsync_RowChangedInDatabase_RaisesCorruptionNamingJobAndSequence()
    {
        PostgreSqlJobEventJournal sut = _schema.Open();
        await sut.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [Event("evt-1"), Event("evt-2")]);

        await _schema.ExecuteAsync("UPDATE {schema}.entries SET attributes = '{\"orderId\":\"43\"}' WHERE sequence = 2");
        Func<Task> act = async () => await sut.ReadStreamAsync(JobId.Parse("job-1")).ToListAsync();

        JobJournalCorruptionException thrown = (await act.Should().ThrowAsync<JobJournalCorruptionException>()).Which;
        thrown.JobId.Should().Be(JobId.Parse("job-1"));
        thrown.Sequence.Should().Be(2);
        thrown.Message.Should().Contain("checksum");
    }

    [PostgreSqlFact]
    public async Task ReadAllAsync_BadJsonOrUnknownLane_RaisesCorruption()
    {
        PostgreSqlJobEventJournal sut = _schema.Open();
        await sut.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [Event("evt-1"), Event("evt-2"), Event("evt-3")]);

        await _schema.ExecuteAsync("UPDATE {schema}.entries SET attributes = '{not json' WHERE sequence = 2; UPDATE {schema}.entries SET lane = 7 WHERE sequence = 3");

        (await FluentActions.Awaiting(async () => await sut.ReadAllAsync(2, 1)).Should().ThrowAsync<JobJournalCorruptionException>()).Which.Sequence.Should().Be(2);
        (await FluentActions.Awaiting(async () => await sut.ReadAllAsync(3, 1)).Should().ThrowAsync<JobJournalCorruptionException>()).Which.Sequence.Should().Be(3);
        (await sut.ReadAllAsync(1, 1)).Should().ContainSingle("the intact row still reads");
    }

    [PostgreSqlFact]
    public async Task ReadStreamAsync_MiddleRowDeleted_RaisesCorruptionForTheGap()
    {
        PostgreSqlJobEventJournal sut = _schema.Open();
        await sut.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [Event("evt-1"), Event("evt-2"), Event("evt-3")]);

        await _schema.ExecuteAsync("DELETE FROM {schema}.entries WHERE sequence = 2");
        Func<Task> act = async () => await sut.ReadStreamAsync(JobId.Parse("job-1")).ToListAsync();

        JobJournalCorruptionException thrown = (await act.Should().ThrowAsync<JobJournalCorruptionException>()).Which;
        thrown.Sequence.Should().Be(2);
        thrown.JobId.Should().Be(JobId.Parse("job-1"));
    }

    [PostgreSqlFact]
    public async Task AppendAsync_CorruptOriginalOfOneRequest_FailsOnlyThatRequest()
    {
        PostgreSqlJobEventJournal sut = _schema.Open(o => o.MaxBatchWait = TimeSpan.FromMilliseconds(100));
        await sut.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [Event("evt-1")]);
        await _schema.ExecuteAsync("UPDATE {schema}.entries SET payload = '{}' WHERE sequence = 1");

        Task<AppendResult> redelivery = sut.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.Any, [Event("evt-1")]).AsTask();
        Task<AppendResult> other = sut.AppendAsync(JobId.Parse("job-2"), ExpectedStreamVersion.NoStream, [Event("evt-9")]).AsTask();

        await FluentActions.Awaiting(() => redelivery).Should().ThrowAsync<JobJournalCorruptionException>();
        (await other).Outcomes.Should().ContainSingle().Which.IsDuplicate.Should().BeFalse();
    }

    [PostgreSqlFact]
    public async Task AppendAsync_ValuePostgreSqlCannotStore_FailsOnlyThatRequest()
    {
        PostgreSqlJobEventJournal sut = _schema.Open(o => o.MaxBatchWait = TimeSpan.FromMilliseconds(100));
        await sut.InitializeAsync();

        // PostgreSQL text cannot hold U+0000: the attribute index refuses the row.
        Task<AppendResult> poisoned = sut.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.Any, [Event("evt-1", "4\u00002")]).AsTask();
        Task<AppendResult> other = sut.AppendAsync(JobId.Parse("job-2"), ExpectedStreamVersion.NoStream, [Event("evt-2")]).AsTask();

        (await FluentActions.Awaiting(() => poisoned).Should().ThrowAsync<JobJournalException>()).Which.InnerException.Should().BeAssignableTo<Npgsql.PostgresException>();
        (await other).Outcomes.Should().ContainSingle().Which.IsDuplicate.Should().BeFalse();
        (await sut.ReadAllAsync(1, 10)).Should().ContainSingle().Which.EventId.Should().Be(EventId.Parse("evt-2"));
    }

    [PostgreSqlFact]
    public async Task InitializeAsync_SynchronousCommitOff_LogsWarning()
    {
        var quiet = new ListLogger<PostgreSqlJobEventJournal>();
        var warned = new ListLogger<PostgreSqlJobEventJournal>();

        await _schema.Open(logger: quiet).InitializeAsync();
        await _schema.Open(logger: warned, connectionString: _schema.ConnectionString + ";Options=-c synchronous_commit=off").InitializeAsync();

        quiet.Records.Should().NotContain(r => r.EventId == 1200);
        warned.Records.Should().ContainSingle(r => r.EventId == 1200).Which.Level.Should().Be(LogLevel.Warning);
    }

    [PostgreSqlFact]
    public async Task AppendAsync_PreCancelledToken_ThrowsAndAppendsNothing()
    {
        PostgreSqlJobEventJournal sut = _schema.Open();
        await sut.InitializeAsync();

        Func<Task> act = async () => await sut.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.Any, [Event("evt-1")], new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await sut.ReadAllAsync(1, 10)).Should().BeEmpty();
    }

    [PostgreSqlFact]
    public async Task UsePostgreSqlJournal_DataSource_ResolvesJournalOverIt()
    {
        await using Npgsql.NpgsqlDataSource dataSource = Npgsql.NpgsqlDataSource.Create(_schema.ConnectionString);
        await using ServiceProvider provider = new ServiceCollection()
            .AddJobEngine(jobs => jobs.UsePostgreSqlJournal(dataSource, o => o.Schema = _schema.Name))
            .Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        IJobEventJournal sut = provider.GetRequiredService<IJobEventJournal>();
        await sut.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [Event("evt-1")]);

        sut.Should().BeOfType<PostgreSqlJobEventJournal>().Which.Schema.Should().Be(_schema.Name);
        (await _schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.entries")).Should().Be(1);
    }
}
