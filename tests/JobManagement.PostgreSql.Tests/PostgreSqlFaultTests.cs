using System.Collections.Concurrent;
using Npgsql;
using Xunit.Abstractions;
using static JobManagement.PostgreSql.Tests.TestEvents;

namespace JobManagement.PostgreSql.Tests;

public sealed class PostgreSqlFaultTests : IAsyncLifetime
{
    private readonly TemporarySchema _schema = new();
    private readonly ITestOutputHelper _output;

    public PostgreSqlFaultTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [PostgreSqlFact]
    public async Task AppendAsync_BackendsTerminatedMidRun_AreRetriedAndNeverDuplicated()
    {
        // Dropped connections surface as Npgsql I/O errors or SQLSTATE 57P01; both must be retried.
        string application = "jm-fault-" + Guid.NewGuid().ToString("N")[..8];
        var logger = new ListLogger<PostgreSqlJobEventJournal>();
        PostgreSqlJobEventJournal sut = _schema.Open(
            o =>
            {
                o.MaxRetryAttempts = 12;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            },
            logger,
            $"{_schema.ConnectionString};Application Name={application}");
        await sut.InitializeAsync();
        const int producers = 8;
        const int appendsPerProducer = 40;
        var results = new ConcurrentBag<AppendResult>();
        using var acknowledged = new SemaphoreSlim(0);

        Task producing = Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < appendsPerProducer; i++)
            {
                results.Add(await sut.AppendAsync(JobId.Parse($"job-{(p + i) % 6}"), ExpectedStreamVersion.Any, [Event($"evt-{p}-{i}-a"), Event($"evt-{p}-{i}-b")]));
                acknowledged.Release();
            }
        })));

        // Another connection terminates the journal's backends (writer and pooled readers) while it works.
        int terminated = 0;
        await using (var killer = new NpgsqlConnection(_schema.ConnectionString))
        {
            await killer.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()", killer)
            {
                Parameters = { new NpgsqlParameter { Value = application } },
            };
            // Kill, then let the journal acknowledge one more append (it had to reconnect and retry), and kill again.
            for (int round = 0; round < 400 && !producing.IsCompleted; round++)
            {
                terminated += (int)(long)(await kill.ExecuteScalarAsync())!;
                await Task.WhenAny(acknowledged.WaitAsync(), producing);
            }
        }

        await producing;
        _output.WriteLine($"terminated {terminated} backend(s); {logger.Records.Count(r => r.EventId == 1201)} retries; {logger.Records.Count(r => r.EventId == 1203 && r.Message.Contains(" committed", StringComparison.Ordinal))} dropped commit(s) found committed, {logger.Records.Count(r => r.EventId == 1203 && r.Message.Contains(" aborted", StringComparison.Ordinal))} aborted");
        terminated.Should().BeGreaterThan(0, "the test must actually have killed connections");
        logger.Records.Should().Contain(r => r.EventId == 1201, "transient faults were retried");
        results.Should().HaveCount(producers * appendsPerProducer).And.OnlyContain(r => !r.AllDuplicates && r.Outcomes.All(o => !o.IsDuplicate), "a retried batch recognises its own commit");
        IReadOnlyList<JobEventLogEntry> all = await sut.ReadAllAsync(1, 100_000);
        all.Should().HaveCount(producers * appendsPerProducer * 2);
        ShouldBeWellFormed(all);
        all.Select(e => e.EventId).Should().OnlyHaveUniqueItems();
    }
}
