namespace JobManagement.PostgreSql.Tests;

/// <summary>
/// The temporary schema of one test of an engine-level conformance suite: created before the test when a
/// server is available, dropped after it, and registered as the engines' journal.
/// </summary>
internal sealed class SuiteSchema : IAsyncDisposable
{
    private TemporarySchema? _schema;

    /// <summary>Gets the schema (only after <see cref="CreateAsync"/> with a server available).</summary>
    public TemporarySchema Schema => _schema ?? throw new InvalidOperationException("No schema: the server is unavailable or CreateAsync was not called.");

    public Task CreateAsync()
    {
        if (PostgreSqlServer.UnavailableReason is null)
        {
            _schema = new TemporarySchema();
        }

        return Task.CompletedTask;
    }

    public void UseJournal(JobEngineBuilder jobs) =>
        jobs.UsePostgreSqlJournal(Schema.ConnectionString, o => o.Schema = Schema.Name);

    public async ValueTask DisposeAsync()
    {
        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }
}
