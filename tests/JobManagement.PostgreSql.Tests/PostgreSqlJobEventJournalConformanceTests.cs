using JobManagement.Journal.Conformance;

namespace JobManagement.PostgreSql.Tests;

/// <summary>
/// Runs the journal conformance suite against <see cref="PostgreSqlJobEventJournal"/>, each test in a
/// fresh schema. Skipped locally without a server; under CI=true a missing server fails every test.
/// </summary>
public sealed class PostgreSqlJobEventJournalConformanceTests : JobEventJournalConformanceTests
{
    private TemporarySchema? _schema;

    protected override string? UnavailableReason => PostgreSqlServer.UnavailableReason;

    protected override ValueTask<IJobEventJournal> CreateJournalAsync()
    {
        _schema = new TemporarySchema();
        return new(_schema.Open());
    }

    protected override async ValueTask DisposeJournalAsync(IJobEventJournal journal)
    {
        if (_schema is not null)
        {
            await _schema.DisposeAsync(); // disposes the journal it opened, then drops the schema
        }
    }
}
