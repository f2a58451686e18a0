using Npgsql;

namespace JobManagement.PostgreSql.Tests.UnitOfWork;

/// <summary>The worker with <see cref="PostgreSqlJobUnitOfWork"/>: the handler's writes and the job's success are one commit.</summary>
public sealed class PostgreSqlJobUnitOfWorkTests
{
    [PostgreSqlFact]
    public async Task HandlerSucceeds_RowAndSuccessEntryAreCommittedByOneTransaction()
    {
        await using var schema = new TemporarySchema();
        await using UnitOfWorkHost host = await StartAsync(schema, retries: 0);

        JobId jobId = await host.CreateAsync("record-order", new OrderInput("o-1", schema.Name));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Succeeded);
        (await schema.ScalarAsync<int>("SELECT attempt FROM {schema}.orders WHERE id = 'o-1'")).Should().Be(1);
        (await schema.ScalarAsync<bool>("SELECT success_seen_at_commit FROM {schema}.orders WHERE id = 'o-1'")).Should().BeTrue("the success entry was in the handler's transaction when it committed");
        TestEvents.ShouldBeWellFormed(await host.Journal.ReadAllAsync(1, 1000));
    }

    [PostgreSqlFact]
    public async Task HandlerThrows_NeitherRowNorSuccess_ThenTheRetryCommitsBoth()
    {
        await using var schema = new TemporarySchema();
        await using UnitOfWorkHost host = await StartAsync(schema, retries: 1);
        host.Probe.FailuresLeft = 1;

        JobId jobId = await host.CreateAsync("record-order", new OrderInput("o-2", schema.Name));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Succeeded);
        state.Attempts.Select(static a => a.Outcome).Should().Equal(AttemptOutcome.Failed, AttemptOutcome.Succeeded);
        (await schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.orders")).Should().Be(1);
        (await schema.ScalarAsync<int>("SELECT attempt FROM {schema}.orders WHERE id = 'o-2'")).Should().Be(2, "the first attempt's row was rolled back with it");
        TestEvents.ShouldBeWellFormed(await host.Journal.ReadAllAsync(1, 1000));
    }

    [PostgreSqlFact]
    public async Task HandlerAlwaysThrows_NothingCommitted_AndTheJobIsDeadLettered()
    {
        await using var schema = new TemporarySchema();
        await using UnitOfWorkHost host = await StartAsync(schema, retries: 1);

        JobId jobId = await host.CreateAsync("record-order", new OrderInput("o-3", schema.Name, OrderInput.WriteThenThrow));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Failed);
        state.Attempts.Select(static a => a.Outcome).Should().Equal(AttemptOutcome.Failed, AttemptOutcome.Failed);
        (await schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.orders")).Should().Be(0);
        (await host.Engine.GetHistoryAsync(jobId)).Should().NotContain(static e => e.EventType == ExecutionEventTypes.AttemptSucceeded);
    }

    [PostgreSqlFact]
    public async Task CommitFails_OnADeferredUniqueConstraint_NeitherRowNorSuccess_AndTheAttemptFailed()
    {
        await using var schema = new TemporarySchema();
        await using UnitOfWorkHost host = await StartAsync(schema, retries: 0);

        JobId jobId = await host.CreateAsync("record-order", new OrderInput("o-4", schema.Name, OrderInput.DuplicateCode));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Failed, "the success entry was in the transaction that failed to commit");
        state.Attempts.Should().ContainSingle().Which.Failure!.Type.Should().Be(typeof(PostgresException).FullName);
        (await schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.order_codes")).Should().Be(0);
        (await host.Engine.GetHistoryAsync(jobId)).Should().NotContain(static e => e.EventType == ExecutionEventTypes.AttemptSucceeded);
        TestEvents.ShouldBeWellFormed(await host.Journal.ReadAllAsync(1, 1000));
    }

    [PostgreSqlFact]
    public async Task JobAbortedOnAnotherNodeWhileTheHandlerRan_TheHandlersWritesAreRolledBack_AndNoSuccessIsRecorded()
    {
        await using var schema = new TemporarySchema();
        await using UnitOfWorkHost host = await StartAsync(schema, retries: 0);
        await using var otherNode = new UnitOfWorkHost(jobs => jobs.UsePostgreSqlJournal(schema.ConnectionString, o => o.Schema = schema.Name).UsePostgreSqlUnitOfWork(), static jobs => jobs.AddHandler<OrderHandler, OrderInput>("record-order"));
        JobId jobId = await host.CreateAsync("record-order", new OrderInput("o-6", schema.Name, OrderInput.WaitThenWrite));
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await otherNode.Engine.AbortAsync(jobId, "the customer cancelled");
        host.Probe.Gate.SetResult();
        await host.StopAsync(); // waits for the run to end

        (await host.Engine.GetStateAsync(jobId))!.Status.Should().Be(JobStatus.Aborted);
        (await schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.orders")).Should().Be(0, "the attempt was no longer the running one when it came to commit");
        (await host.Engine.GetHistoryAsync(jobId)).Should().NotContain(static e => e.EventType == ExecutionEventTypes.AttemptSucceeded);
    }

    [PostgreSqlFact]
    public async Task ManyJobs_EachCommitsItsRowWithItsSuccess_AndPositionsStayDense()
    {
        await using var schema = new TemporarySchema();
        await using UnitOfWorkHost host = await StartAsync(schema, retries: 0);

        JobId[] jobs = await Task.WhenAll(Enumerable.Range(1, 16).Select(i => host.CreateAsync("record-order", new OrderInput($"m-{i}", schema.Name)).AsTask()));
        JobState[] states = await Task.WhenAll(jobs.Select(host.WaitForTerminalAsync));

        states.Should().OnlyContain(static s => s.Status == JobStatus.Succeeded);
        (await schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.orders")).Should().Be(16);
        TestEvents.ShouldBeWellFormed(await host.Journal.ReadAllAsync(1, 10_000));
    }

    private static async Task<UnitOfWorkHost> StartAsync(TemporarySchema schema, int retries)
    {
        var host = new UnitOfWorkHost(jobs => jobs.UsePostgreSqlJournal(schema.ConnectionString, o => o.Schema = schema.Name).UsePostgreSqlUnitOfWork(), jobs => jobs.AddHandler<OrderHandler, OrderInput>("record-order", job => job.WithRetries(retries, TimeSpan.Zero)));
        await host.Journal.InitializeAsync();
        foreach (string statement in OrderHandler.Schema)
        {
            await schema.ExecuteAsync(statement);
        }

        return await host.StartAsync();
    }
}
