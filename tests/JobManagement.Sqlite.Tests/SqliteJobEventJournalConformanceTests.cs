using JobManagement.Journal.Conformance;

namespace JobManagement.Sqlite.Tests;

/// <summary>Runs the journal conformance suite against <see cref="SqliteJobEventJournal"/>, each test on a fresh file.</summary>
public sealed class SqliteJobEventJournalConformanceTests : JobEventJournalConformanceTests
{
    private readonly TemporaryDatabase _database = new();

    protected override ValueTask<IJobEventJournal> CreateJournalAsync() => new(_database.Open());

    protected override async ValueTask DisposeJournalAsync(IJobEventJournal journal)
    {
        await base.DisposeJournalAsync(journal);
        _database.Dispose();
    }
}
