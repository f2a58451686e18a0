using JobManagement.Journal.Conformance;
using Xunit.Abstractions;

namespace JobManagement.PostgreSql.Tests;

/// <summary>Runs the crash conformance test (a child appending, killed with SIGKILL at seeded moments) on one PostgreSQL schema; skipped without a server unless CI=true.</summary>
public sealed class PostgreSqlCrashTests(ITestOutputHelper output) : JournalCrashConformanceTests(output), IAsyncLifetime
{
    private readonly SuiteSchema _schema = new();

    protected override string? UnavailableReason => PostgreSqlServer.UnavailableReason;

    public Task InitializeAsync() => _schema.CreateAsync();

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    protected override IEnumerable<string> ChildArguments() => ["postgres", _schema.Schema.ConnectionString, _schema.Schema.Name];

    protected override JobEngineBuilder UseJournal(JobEngineBuilder jobs)
    {
        _schema.UseJournal(jobs);
        return jobs;
    }
}
