using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite.Tests.UnitOfWork;

/// <summary>The worker with <see cref="SqliteJobUnitOfWork"/>: the handler's writes and the job's success are one commit.</summary>
public sealed class SqliteJobUnitOfWorkTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    private string ConnectionString => _database.ConnectionString + ";Foreign Keys=True";

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task HandlerSucceeds_RowAndSuccessEntryAreBothCommitted_WithThePendingProgressBeforeTheOutcome()
    {
        await using UnitOfWorkHost host = await StartAsync(retries: 0);

        JobId jobId = await host.CreateAsync("record-order", new OrderInput("o-1"));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Succeeded);
        (await OrdersAsync()).Should().Equal(("o-1", 1L));
        IReadOnlyList<JobEventLogEntry> history = await host.Engine.GetHistoryAsync(jobId);
        history.Select(static e => e.EventType.Value).Should().EndWith(["job.progress", "job.attempt.succeeded"]);
        state.Progress!.Fraction.Should().Be(0.75, "the throttled report is appended in the transaction, just before the outcome");
        host.Probe.InsertedThroughUnitOfWork.Should().Contain(["orders", "jm_entries"], "the success entry was written through the handler's connection and transaction");
        TestEventsShouldBeWellFormed(await host.Journal.ReadAllAsync(1, 1000));
    }

    [Fact]
    public async Task HandlerThrows_NeitherRowNorSuccess_ThenTheRetryCommitsBoth()
    {
        await using UnitOfWorkHost host = await StartAsync(retries: 1);
        host.Probe.FailuresLeft = 1;

        JobId jobId = await host.CreateAsync("record-order", new OrderInput("o-2"));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Succeeded);
        state.Attempts.Select(static a => a.Outcome).Should().Equal(AttemptOutcome.Failed, AttemptOutcome.Succeeded);
        (await OrdersAsync()).Should().Equal([("o-2", 2L)], "the first attempt's row was rolled back with it");
        (await host.Engine.GetHistoryAsync(jobId)).Count(static e => e.EventType == ExecutionEventTypes.AttemptSucceeded).Should().Be(1);
    }

    [Fact]
    public async Task HandlerAlwaysThrows_NothingCommitted_AndTheJobIsDeadLettered()
    {
        await using UnitOfWorkHost host = await StartAsync(retries: 1);

        JobId jobId = await host.CreateAsync("record-order", new OrderInput("o-3", OrderInput.WriteThenThrow));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Failed);
        state.Attempts.Select(static a => a.Outcome).Should().Equal(AttemptOutcome.Failed, AttemptOutcome.Failed);
        (await OrdersAsync()).Should().BeEmpty();
        (await host.Engine.GetHistoryAsync(jobId)).Should().NotContain(static e => e.EventType == ExecutionEventTypes.AttemptSucceeded);
    }

    [Fact]
    public async Task CommitFails_OnADeferredForeignKey_NeitherRowNorSuccess_AndTheAttemptFailed()
    {
        await using UnitOfWorkHost host = await StartAsync(retries: 0);

        JobId jobId = await host.CreateAsync("record-order", new OrderInput("o-4", OrderInput.Orphan));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Failed, "the success entry was in the transaction that failed to commit");
        state.Attempts.Should().ContainSingle().Which.Failure!.Type.Should().Be(typeof(SqliteException).FullName);
        (await ScalarAsync("SELECT count(*) FROM order_lines;")).Should().Be(0);
        (await host.Engine.GetHistoryAsync(jobId)).Should().NotContain(static e => e.EventType == ExecutionEventTypes.AttemptSucceeded);
        TestEventsShouldBeWellFormed(await host.Journal.ReadAllAsync(1, 1000));
    }

    [Fact]
    public async Task HandlerNeverTouchesTheUnitOfWork_SuccessIsRecordedTheOrdinaryWay()
    {
        await using UnitOfWorkHost host = await StartAsync(retries: 0);

        JobId jobId = await host.CreateAsync("record-order", new OrderInput("o-5", OrderInput.Untouched));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Succeeded);
        (await OrdersAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task JobAbortedOnAnotherNodeWhileTheHandlerRan_TheHandlersWritesAreRolledBack_AndNoSuccessIsRecorded()
    {
        await using UnitOfWorkHost host = await StartAsync(retries: 0);
        await using var otherNode = new UnitOfWorkHost(jobs => jobs.UseSqliteJournal(ConnectionString).UseSqliteUnitOfWork(), static jobs => jobs.AddHandler<OrderHandler, OrderInput>("record-order"));
        JobId jobId = await host.CreateAsync("record-order", new OrderInput("o-6", OrderInput.WaitThenWrite));
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await otherNode.Engine.AbortAsync(jobId, "the customer cancelled");
        host.Probe.Gate.SetResult();
        await host.StopAsync(); // waits for the run to end
        JobState state = (await host.Engine.GetStateAsync(jobId))!;

        state.Status.Should().Be(JobStatus.Aborted);
        (await OrdersAsync()).Should().BeEmpty("the attempt was no longer the running one when it came to commit");
        (await host.Engine.GetHistoryAsync(jobId)).Should().NotContain(static e => e.EventType == ExecutionEventTypes.AttemptSucceeded);
    }

    [Fact]
    public async Task ManyJobs_EachCommitsItsRowWithItsSuccess()
    {
        await using UnitOfWorkHost host = await StartAsync(retries: 0);

        JobId[] jobs = await Task.WhenAll(Enumerable.Range(1, 12).Select(i => host.CreateAsync("record-order", new OrderInput($"m-{i}")).AsTask()));
        JobState[] states = await Task.WhenAll(jobs.Select(host.WaitForTerminalAsync));

        states.Should().OnlyContain(static s => s.Status == JobStatus.Succeeded);
        (await OrdersAsync()).Should().HaveCount(12);
        TestEventsShouldBeWellFormed(await host.Journal.ReadAllAsync(1, 10_000));
    }

    private static void TestEventsShouldBeWellFormed(IReadOnlyList<JobEventLogEntry> all)
    {
        all.Select(static e => e.Position).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        foreach (IGrouping<JobId, JobEventLogEntry> stream in all.GroupBy(static e => e.JobId))
        {
            stream.Select(static e => e.Sequence).Should().Equal(Enumerable.Range(1, stream.Count()).Select(static i => (long)i), $"stream {stream.Key} has contiguous sequences");
        }
    }

    private async Task<UnitOfWorkHost> StartAsync(int retries)
    {
        var host = new UnitOfWorkHost(jobs => jobs.UseSqliteJournal(ConnectionString).UseSqliteUnitOfWork(), jobs => jobs.AddHandler<OrderHandler, OrderInput>("record-order", job => job.WithRetries(retries, TimeSpan.Zero)));
        await host.Journal.InitializeAsync();
        await ExecuteAsync(OrderHandler.Schema);
        return await host.StartAsync();
    }

    private async Task<List<(string Id, long Attempt)>> OrdersAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT id, attempt FROM orders ORDER BY id;";
        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        List<(string, long)> rows = [];
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
