using JobManagement.Journal.Conformance;
using Xunit.Abstractions;

namespace JobManagement.PostgreSql.Tests;

/// <summary>Runs the crash conformance test (a child appending, killed with SIGKILL at seeded moments) on one PostgreSQL schema; skipped without a server unless CI=true.</summary>
public sealed class PostgreSqlCrashTests(ITestOutputHelper output) : JournalCrashConformanceTests(output), IAsyncLifetime
{
    private readonly TemporarySchema _schema = new();

    protected override string? UnavailableReason => PostgreSqlServer.UnavailableReason;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    protected override IEnumerable<string> ChildArguments() => ["postgres", _schema.ConnectionString, _schema.Name];

    protected override JobEngineBuilder UseJournal(JobEngineBuilder jobs) => jobs.UsePostgreSqlJournal(_schema.ConnectionString, o => o.Schema = _schema.Name);
}
