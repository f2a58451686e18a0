using JobManagement.Journal.Conformance;
using JobManagement.Journal.Conformance.Workers;

namespace JobManagement.Sqlite.Tests;

/// <summary>Two creations with one id in one group commit: the later sees the earlier inside the transaction and is refused alone.</summary>
public sealed class SqliteGroupCommitCreationTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public Task AppendAsync_TwoCreationsOfOneIdInOneBatch_OnlyTheLaterIsRefused() => RunAsync(GroupCommitCreationScenario.RunAsync);

    [Fact]
    public Task AppendAsync_DomainEventThenCreationOfItsIdInOneBatch_OnlyTheCreationIsRefused() => RunAsync(GroupCommitCreationScenario.RunDomainEventFirstAsync);

    private async Task RunAsync(Func<IJobEventJournal, ManualTimeProvider, TimeSpan, Task> scenario)
    {
        var clock = new ManualTimeProvider();
        TimeSpan wait = TimeSpan.FromSeconds(1);
        await using var sut = new SqliteJobEventJournal(new SqliteJournalOptions { ConnectionString = _database.ConnectionString, MaxBatchWait = wait }, clock);
        await sut.InitializeAsync();

        await scenario(sut, clock, wait);
    }
}
