using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace JobManagement.PostgreSql;

/// <summary>
/// Creates and checks the journal's tables in one PostgreSQL schema. The schema version is kept
/// in <c>schema_version</c>: a schema newer than this code, or a schema that holds someone else's
/// tables, is refused with a clear message. DDL runs under a transaction-scoped advisory lock, so
/// two processes initialising the same schema at once do not trip over each other.
/// </summary>
internal sealed class PostgreSqlSchema
{
    /// <summary>The schema version this code writes and understands.</summary>
    public const int Version = 1;

    /// <summary>'JMJ0': the advisory-lock class that serialises schema creation.</summary>
    private const int InitializeLockClass = 0x4A4D4A30;

    /// <summary>'JMJ1': the advisory-lock class that serialises position assignment (see <see cref="PostgreSqlAppendWriter"/>).</summary>
    private const int AppendLockClass = 0x4A4D4A31;

    public PostgreSqlSchema(string name)
    {
        Name = name;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        LockKey = BinaryPrimitives.ReadInt32BigEndian(hash);
        Entries = $"\"{name}\".entries";
        Jobs = $"\"{name}\".jobs";
        JobCorrelation = $"\"{name}\".job_correlation";
        EventAttributes = $"\"{name}\".event_attributes";
        SchemaVersion = $"\"{name}\".schema_version";
        AppendLock = string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({AppendLockClass}, {LockKey})");
        OptimisticCheck = $"""
            SELECT 1 / (CASE WHEN COALESCE((SELECT max(position) FROM {Entries}), 0) = $1
                AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::bigint[]) AS k(stream, version)
                    WHERE COALESCE((SELECT max(e.sequence) FROM {Entries} e WHERE e.stream = k.stream), 0) <> k.version)
                AND NOT EXISTS (SELECT 1 FROM {Entries} e WHERE e.event_id = ANY($4::text[]))
                THEN 1 ELSE 0 END)
            """;
    }

    /// <summary>Gets the schema's name (validated by the options: safe to quote into SQL).</summary>
    public string Name { get; }

    /// <summary>Gets the second half of the advisory-lock keys: derived from the schema name, so schemas are independent.</summary>
    public int LockKey { get; }

    public string Entries { get; }

    public string Jobs { get; }

    public string JobCorrelation { get; }

    public string EventAttributes { get; }

    public string SchemaVersion { get; }

    /// <summary>Gets the statement every append transaction runs first: the position lock, held until commit.</summary>
    public string AppendLock { get; }

    /// <summary>
    /// Gets the check of a one-round-trip commit, run under the position lock: fails with a division by zero
    /// (22012) unless the last position is $1, each stream $2[i] has version $3[i], and no <c>job.created</c>
    /// entry carries an id of $4 (the batch's creations, which the plan presumed new).
    /// </summary>
    public string OptimisticCheck { get; }

    private string CreateV1 => $"""
        CREATE SCHEMA IF NOT EXISTS "{Name}";
        CREATE TABLE IF NOT EXISTS {SchemaVersion} (version integer NOT NULL);
        CREATE TABLE IF NOT EXISTS {Entries} (
            position        bigint   NOT NULL PRIMARY KEY,
            stream          text     NOT NULL,
            sequence        bigint   NOT NULL,
            event_id        text     NOT NULL,
            event_type      text     NOT NULL,
            lane            smallint NOT NULL,
            task_id         text     NULL,
            occurred_ticks  bigint   NOT NULL,
            occurred_offset integer  NOT NULL,
            recorded_ticks  bigint   NOT NULL,
            recorded_offset integer  NOT NULL,
            attributes      text     NOT NULL,
            payload         text     NULL,
            execution_id    text     NULL,
            trace_id        text     NULL,
            span_id         text     NULL,
            checksum        bytea    NOT NULL,
            CONSTRAINT entries_stream_sequence UNIQUE (stream, sequence),
            CONSTRAINT entries_stream_event_id UNIQUE (stream, event_id)
        );
        CREATE INDEX IF NOT EXISTS entries_event_id ON {Entries} (event_id);
        CREATE INDEX IF NOT EXISTS entries_domain_type ON {Entries} (event_type, position) WHERE lane = 0;
        CREATE TABLE IF NOT EXISTS {Jobs} (
            job_id   text   NOT NULL PRIMARY KEY,
            job_type text   NOT NULL,
            position bigint NOT NULL
        );
        CREATE INDEX IF NOT EXISTS jobs_type ON {Jobs} (job_type, position);
        CREATE TABLE IF NOT EXISTS {JobCorrelation} (
            job_type text   NOT NULL,
            key      text   NOT NULL,
            value    text   NOT NULL,
            position bigint NOT NULL,
            job_id   text   NOT NULL,
            PRIMARY KEY (job_type, key, value, position)
        );
        CREATE TABLE IF NOT EXISTS {EventAttributes} (
            key      text   NOT NULL,
            value    text   NOT NULL,
            position bigint NOT NULL,
            PRIMARY KEY (key, value, position)
        );
        INSERT INTO {SchemaVersion} (version) VALUES ({Version.ToString(CultureInfo.InvariantCulture)});
        """;

    /// <summary>Checks the schema is ours (or absent), creates it if needed, and returns the server's <c>synchronous_commit</c>.</summary>
    public async Task<string> InitializeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({InitializeLockClass}, {LockKey});"), cancellationToken).ConfigureAwait(false);

        long tables = await ScalarAsync<long>(connection, $"SELECT count(*) FROM pg_tables WHERE schemaname = '{Name}';", cancellationToken).ConfigureAwait(false);
        bool versioned = await ScalarAsync<bool>(connection, $"SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = '{Name}' AND tablename = 'schema_version');", cancellationToken).ConfigureAwait(false);
        if (tables > 0 && !versioned)
        {
            throw new JobJournalSchemaException(string.Create(CultureInfo.InvariantCulture, $"The PostgreSQL schema '{Name}' holds {tables} table(s) but is not a JobManagement journal (it has no schema_version table). Configure another schema for the journal."));
        }

        if (!versioned)
        {
            await ExecuteAsync(connection, CreateV1, cancellationToken).ConfigureAwait(false);
        }

        int version = await ScalarAsync<int>(connection, $"SELECT COALESCE(MAX(version), 0) FROM {SchemaVersion};", cancellationToken).ConfigureAwait(false);
        if (version > Version)
        {
            throw new JobJournalSchemaException(string.Create(CultureInfo.InvariantCulture, $"The journal in PostgreSQL schema '{Name}' has schema version {version}, newer than the {Version} this version of JobManagement.PostgreSql understands. Upgrade the package; the schema is never downgraded."));
        }

        if (version < 1)
        {
            throw new JobJournalSchemaException($"The PostgreSQL schema '{Name}' has a schema_version table without a version: it is not a usable JobManagement journal.");
        }

        string synchronousCommit = await ScalarAsync<string>(connection, "SHOW synchronous_commit;", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return synchronousCommit;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
