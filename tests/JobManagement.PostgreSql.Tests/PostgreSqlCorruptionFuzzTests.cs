using System.Globalization;
using JobManagement.Journal.Conformance;
using Npgsql;
using Xunit.Abstractions;

namespace JobManagement.PostgreSql.Tests;

/// <summary>Runs the corruption fuzz conformance test on one PostgreSQL schema (undamaged rows kept in a second one); skipped without a server unless CI=true.</summary>
public sealed class PostgreSqlCorruptionFuzzTests(ITestOutputHelper output) : CorruptionFuzzConformanceTests(output), IAsyncLifetime
{
    private static readonly string[] TextColumns = ["stream", "event_id", "event_type", "task_id", "attributes", "payload", "execution_id", "trace_id", "span_id"];

    private readonly SuiteSchema _schema = new();
    private readonly SuiteSchema _pristine = new();

    protected override string? UnavailableReason => PostgreSqlServer.UnavailableReason;

    private TemporarySchema Schema => _schema.Schema;

    public async Task InitializeAsync()
    {
        await _schema.CreateAsync();
        await _pristine.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _schema.DisposeAsync();
        await _pristine.DisposeAsync();
    }

    protected override IJobEventJournal OpenJournal() =>
        new PostgreSqlJobEventJournal(new PostgreSqlJournalOptions { ConnectionString = Schema.ConnectionString, Schema = Schema.Name });

    protected override async Task KeepPristineAsync()
    {
        await _pristine.Schema.ExecuteAsync("CREATE SCHEMA {schema}");
        await _pristine.Schema.ExecuteAsync($"CREATE TABLE {{schema}}.entries AS SELECT * FROM \"{Schema.Name}\".entries");
    }

    protected override Task RestorePristineAsync(int iteration) =>
        Schema.ExecuteAsync($"DELETE FROM {{schema}}.entries; INSERT INTO {{schema}}.entries SELECT * FROM \"{_pristine.Schema.Name}\".entries");

    protected override async Task<string> MutateAsync(Random random, JobEventLogEntry target)
    {
        string where = string.Create(CultureInfo.InvariantCulture, $"WHERE position = {target.Position}");
        string sql;
        string description;
        switch (random.Next(7))
        {
            case 0:
                string column = TextColumns[random.Next(TextColumns.Length)];
                sql = $"UPDATE {{schema}}.entries SET {column} = left({column}, -1) || chr(ascii(right({column}, 1)) # 1) {where}"; // XOR 1 on the last character
                description = $"flipped a bit of {column} at position {target.Position}";
                break;
            case 1:
                string nullable = TextColumns[random.Next(TextColumns.Length)];
                sql = $"UPDATE {{schema}}.entries SET {nullable} = NULL {where}";
                description = $"set {nullable} to NULL at position {target.Position}";
                break;
            case 2:
                sql = $"UPDATE {{schema}}.entries SET lane = {random.Next(2, 10)} {where}";
                description = $"set an unknown lane at position {target.Position}";
                break;
            case 3:
                string timestamp = random.Next(2) == 0 ? "occurred_ticks" : "recorded_ticks";
                sql = $"UPDATE {{schema}}.entries SET {timestamp} = {timestamp} + {random.Next(1, 1_000_000)} {where}";
                description = $"shifted {timestamp} at position {target.Position}";
                break;
            case 4:
                sql = $"DELETE FROM {{schema}}.entries {where}";
                description = $"deleted the row at position {target.Position}";
                break;
            case 5:
                sql = $"UPDATE {{schema}}.entries SET sequence = sequence + {random.Next(1, 100)} {where}";
                description = $"moved the sequence at position {target.Position}";
                break;
            default:
                sql = $"UPDATE {{schema}}.entries SET checksum = set_byte(checksum, 0, get_byte(checksum, 0) # 1) {where}";
                description = $"flipped a bit of the checksum at position {target.Position}";
                break;
        }

        try
        {
            await Schema.ExecuteAsync(sql);
            return description;
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.NotNullViolation or PostgresErrorCodes.UniqueViolation)
        {
            return $"none (the database refused the damage: {exception.SqlState}): " + description;
        }
    }
}
