using JobManagement.Journal.Conformance;

namespace JobManagement.PostgreSql.Tests;

/// <summary>Runs the engine-restart conformance test on one PostgreSQL schema; skipped without a server unless CI=true.</summary>
public sealed class PostgreSqlEngineRestartTests : EngineRestartConformanceTests, IAsyncLifetime
{
    private readonly SuiteSchema _schema = new();

    protected override string? UnavailableReason => PostgreSqlServer.UnavailableReason;

    public Task InitializeAsync() => _schema.CreateAsync();

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    protected override void UseJournal(JobEngineBuilder jobs) => _schema.UseJournal(jobs);
}
