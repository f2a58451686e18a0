using JobManagement.Journal.Conformance;
using JobManagement.Journal.Conformance.Workers;

namespace JobManagement.PostgreSql.Tests;

/// <summary>
/// Two creations with one id in one group commit: the later sees the earlier and is refused alone, whether the
/// writer decides the batch from its reads (cold) or first tries its one-round-trip plan (warm).
/// </summary>
public sealed class PostgreSqlGroupCommitCreationTests
{
    [PostgreSqlFact]
    public Task AppendAsync_TwoCreationsOfOneIdInOneBatch_OnlyTheLaterIsRefused() => RunAsync(warm: false);

    [PostgreSqlFact]
    public Task AppendAsync_TwoCreationsOfOneIdInOneBatch_AfterAnEarlierCommit_OnlyTheLaterIsRefused() => RunAsync(warm: true);

    [PostgreSqlFact]
    public Task AppendAsync_DomainEventThenCreationOfItsIdInOneBatch_OnlyTheCreationIsRefused() => RunAsync(warm: false, GroupCommitCreationScenario.RunDomainEventFirstAsync);

    [PostgreSqlFact]
    public Task AppendAsync_DomainEventThenCreationOfItsIdInOneBatch_AfterAnEarlierCommit_OnlyTheCreationIsRefused() => RunAsync(warm: true, GroupCommitCreationScenario.RunDomainEventFirstAsync);

    private static async Task RunAsync(bool warm, Func<IJobEventJournal, ManualTimeProvider, TimeSpan, Task>? scenario = null)
    {
        await using var schema = new TemporarySchema();
        var clock = new ManualTimeProvider();
        TimeSpan wait = TimeSpan.FromSeconds(1);
        await using var sut = new PostgreSqlJobEventJournal(new PostgreSqlJournalOptions { ConnectionString = schema.ConnectionString, Schema = schema.Name, MaxBatchWait = wait }, timeProvider: clock);
        await sut.InitializeAsync();
        if (warm)
        {
            // The writer then knows the last position and tries its one-round-trip commit first.
            Task<AppendResult> first = sut.AppendAsync(JobId.Parse("job-warm"), ExpectedStreamVersion.NoStream, [TestEvents.Event("warm-1")]).AsTask();
            await clock.WaitForTimerAsync(clock.GetUtcNow() + wait);
            clock.Advance(wait);
            await first;
        }

        await (scenario ?? GroupCommitCreationScenario.RunAsync)(sut, clock, wait);
    }
}
