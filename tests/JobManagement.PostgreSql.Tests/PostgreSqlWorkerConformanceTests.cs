using JobManagement.Journal.Conformance;
using Xunit.Abstractions;

namespace JobManagement.PostgreSql.Tests;

/// <summary>Runs the worker conformance suite on one temporary PostgreSQL schema; skipped without a server unless CI=true.</summary>
public sealed class PostgreSqlWorkerConformanceTests(ITestOutputHelper output) : WorkerConformanceTests(output), IAsyncLifetime
{
    private TemporarySchema? _schema;

    protected override string? UnavailableReason =>
        PostgreSqlServer.ConnectionString is null && !PostgreSqlServer.IsCi ? PostgreSqlServer.MissingMessage : null;

    public Task InitializeAsync()
    {
        if (UnavailableReason is null)
        {
            _schema = new TemporarySchema();
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    protected override void UseJournal(JobEngineBuilder jobs) =>
        jobs.UsePostgreSqlJournal(_schema!.ConnectionString, o => o.Schema = _schema.Name);
}
