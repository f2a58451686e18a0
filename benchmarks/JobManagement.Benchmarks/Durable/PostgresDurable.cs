using System.Globalization;
using System.Text;
using JobManagement.PostgreSql;
using Npgsql;
using NpgsqlTypes;

namespace JobManagement.Benchmarks.Durable;

/// <summary>
/// PostgreSQL measurements, each in a new schema (dropped afterwards) of the database the connection
/// string names. The raw baselines insert the same rows into the same <c>entries</c> table, created by
/// the journal itself, through the same driver (Npgsql), with positions from a local counter.
/// </summary>
internal sealed class PostgresDurable(string connectionString) : IAsyncDisposable
{
    private const string Columns = "position, stream, sequence, event_id, event_type, lane, occurred_ticks, occurred_offset, recorded_ticks, recorded_offset, attributes, checksum";
    private const int ColumnCount = 12;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 100 }.ConnectionString);
    private int _schemas;

    /// <summary>Appends through <see cref="PostgreSqlJobEventJournal"/> (default options) from <paramref name="producers"/> producers; events/s.</summary>
    public async Task<Measurement> JournalAsync(DurableRows rows, int producers)
    {
        string schema = NewSchema();
        try
        {
            await using var journal = new PostgreSqlJobEventJournal(new PostgreSqlJournalOptions { ConnectionString = connectionString, Schema = schema });
            await journal.InitializeAsync();
            Measurement rate = await rows.AppendAllAsync(journal, producers);
            await CheckAsync(schema, rows.Count);
            return rate;
        }
        finally
        {
            await DropAsync(schema);
        }
    }

    /// <summary>Raw single-row inserts, one transaction (autocommit) each, from <paramref name="connections"/> connections; rows/s.</summary>
    public async Task<Measurement> RawSingleAsync(DurableRows rows, int connections)
    {
        string schema = await NewJournalSchemaAsync();
        try
        {
            string sql = $"INSERT INTO \"{schema}\".entries ({Columns}) VALUES ({Placeholders(0)})";
            int next = -1;
            var meter = new Meter();
            Task[] tasks = new Task[connections];
            for (int c = 0; c < connections; c++)
            {
                tasks[c] = Task.Run(async () =>
                {
                    await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync();
                    await using var insert = new NpgsqlCommand(sql, connection);
                    AddParameters(insert, 1);
                    await insert.PrepareAsync();
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < rows.Count)
                    {
                        SetRow(insert.Parameters, 0, i + 1, rows.Raw[i]);
                        await insert.ExecuteNonQueryAsync();
                    }
                });
            }

            await Task.WhenAll(tasks);
            Measurement measured = meter.Stop(rows.Count);
            await CheckAsync(schema, rows.Count);
            return measured;
        }
        finally
        {
            await DropAsync(schema);
        }
    }

    /// <summary>Raw multi-VALUES inserts of <paramref name="batch"/> rows each (one transaction per statement) on one connection; rows/s.</summary>
    public async Task<Measurement> RawBatchedAsync(DurableRows rows, int batch)
    {
        string schema = await NewJournalSchemaAsync();
        try
        {
            var values = new StringBuilder();
            for (int r = 0; r < batch; r++)
            {
                values.Append(r == 0 ? string.Empty : ", ").Append('(').Append(Placeholders(r * ColumnCount)).Append(')');
            }

            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand($"INSERT INTO \"{schema}\".entries ({Columns}) VALUES {values}", connection);
            AddParameters(insert, batch);
            await insert.PrepareAsync();
            if (rows.Count % batch != 0)
            {
                throw new ArgumentException($"the event count must be a multiple of {batch}.", nameof(rows));
            }

            var meter = new Meter();
            for (int start = 0; start < rows.Count; start += batch)
            {
                for (int r = 0; r < batch; r++)
                {
                    SetRow(insert.Parameters, r * ColumnCount, start + r + 1, rows.Raw[start + r]);
                }

                await insert.ExecuteNonQueryAsync();
            }

            Measurement measured = meter.Stop(rows.Count);
            await CheckAsync(schema, rows.Count);
            return measured;
        }
        finally
        {
            await DropAsync(schema);
        }
    }

    /// <summary>The server's version and the settings that decide what a commit costs.</summary>
    public async Task<string> DescribeAsync()
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT split_part(version(), ' ', 2) || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', wal_sync_method=' || current_setting('wal_sync_method')");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static string Placeholders(int first) =>
        string.Join(", ", Enumerable.Range(first + 1, ColumnCount).Select(static n => string.Create(CultureInfo.InvariantCulture, $"${n}")));

    private static void AddParameters(NpgsqlCommand command, int rows)
    {
        for (int r = 0; r < rows; r++)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Smallint });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea });
        }
    }

    private static void SetRow(NpgsqlParameterCollection p, int first, long position, RawRow row)
    {
        p[first].Value = position;
        p[first + 1].Value = row.Stream;
        p[first + 2].Value = row.Sequence;
        p[first + 3].Value = row.EventId;
        p[first + 4].Value = row.EventType;
        p[first + 5].Value = (short)row.Lane;
        p[first + 6].Value = row.OccurredTicks;
        p[first + 7].Value = row.OccurredOffset;
        p[first + 8].Value = row.RecordedTicks;
        p[first + 9].Value = row.RecordedOffset;
        p[first + 10].Value = row.Attributes;
        p[first + 11].Value = row.Checksum;
    }

    private string NewSchema() => string.Create(CultureInfo.InvariantCulture, $"bench_{Environment.ProcessId}_{Interlocked.Increment(ref _schemas)}");

    /// <summary>Creates a new schema through the journal itself, so the raw baselines insert into the very same table.</summary>
    private async Task<string> NewJournalSchemaAsync()
    {
        string schema = NewSchema();
        await using var journal = new PostgreSqlJobEventJournal(new PostgreSqlJournalOptions { ConnectionString = connectionString, Schema = schema });
        await journal.InitializeAsync();
        return schema;
    }

    private async Task CheckAsync(string schema, int expected)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand($"SELECT count(*) FROM \"{schema}\".entries");
        long count = (long)(await command.ExecuteScalarAsync())!;
        if (count != expected)
        {
            throw new InvalidOperationException($"schema {schema} holds {count} entries, expected {expected}.");
        }
    }

    private async Task DropAsync(string schema)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
