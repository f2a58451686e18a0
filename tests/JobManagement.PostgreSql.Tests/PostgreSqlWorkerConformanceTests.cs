using JobManagement.Journal.Conformance;
using Xunit.Abstractions;

namespace JobManagement.PostgreSql.Tests;

/// <summary>Runs the worker conformance suite on one temporary PostgreSQL schema; skipped without a server unless CI=true.</summary>
public sealed class PostgreSqlWorkerConformanceTests(ITestOutputHelper output) : WorkerConformanceTests(output), IAsyncLifetime
{
    private readonly SuiteSchema _schema = new();

    protected override string? UnavailableReason => PostgreSqlServer.UnavailableReason;

    public Task InitializeAsync() => _schema.CreateAsync();

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    protected override void UseJournal(JobEngineBuilder jobs) => _schema.UseJournal(jobs);
}
