using JobManagement.Journal.Conformance;

namespace JobManagement.Sqlite.Tests;

/// <summary>Runs the dedupe, batch and parent/child conformance suite on a real SQLite file: every node of a test opens its own journal over it.</summary>
public sealed class SqliteEngineFeaturesConformanceTests : EngineFeaturesConformanceTests, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override void UseJournal(JobEngineBuilder jobs) => jobs.UseSqliteJournal(_database.ConnectionString);
}
