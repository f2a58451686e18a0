using JobManagement.Journal.Conformance;

namespace JobManagement.Sqlite.Tests;

/// <summary>Runs the engine-restart conformance test on one SQLite file.</summary>
public sealed class SqliteEngineRestartTests : EngineRestartConformanceTests, IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override void UseJournal(JobEngineBuilder jobs) => jobs.UseSqliteJournal(_database.ConnectionString);
}
