using JobManagement.Journal.Conformance;

namespace JobManagement.PostgreSql.Tests;

/// <summary>Runs the dedupe, batch and parent/child conformance suite on one temporary PostgreSQL schema; skipped without a server unless CI=true.</summary>
public sealed class PostgreSqlEngineFeaturesConformanceTests : EngineFeaturesConformanceTests, IAsyncLifetime
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
