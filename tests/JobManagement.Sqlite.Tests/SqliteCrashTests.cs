using JobManagement.Journal.Conformance;
using Xunit.Abstractions;

namespace JobManagement.Sqlite.Tests;

/// <summary>Runs the crash conformance test (a child appending, killed with SIGKILL at seeded moments) on a SQLite file.</summary>
public sealed class SqliteCrashTests(ITestOutputHelper output) : JournalCrashConformanceTests(output), IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override IEnumerable<string> ChildArguments() => ["sqlite", _database.ConnectionString];

    protected override JobEngineBuilder UseJournal(JobEngineBuilder jobs) => jobs.UseSqliteJournal(_database.ConnectionString);
}
