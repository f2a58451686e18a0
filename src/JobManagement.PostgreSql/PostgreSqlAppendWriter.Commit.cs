using Npgsql;

namespace JobManagement.PostgreSql;

/// <summary>The two ways the writer commits a batch: all requests at once, or one savepoint per request.</summary>
internal sealed partial class PostgreSqlAppendWriter
{
    private const int CarefulTries = 3;

    /// <summary>
    /// The usual path, two round trips: (BEGIN, lock, last position, versions, recorded ids), then
    /// (one insert per table, COMMIT).
    /// </summary>
    private async ValueTask CommitFastAsync(NpgsqlConnection connection, BatchAttempt attempt, CancellationToken cancellationToken)
    {
        AppendPlanner planner;
        await using (NpgsqlBatch load = new(connection))
        {
            AddBegin(load);
            AppendLoad.Add(load, attempt.Batch, _schema);
            await load.PrepareAsync(cancellationToken).ConfigureAwait(false); // parsed and planned once per connection
            await using NpgsqlDataReader reader = await load.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            planner = await ReadBeginAsync(reader, attempt, cancellationToken).ConfigureAwait(false);
            await AppendLoad.ReadAsync(reader, planner, cancellationToken).ConfigureAwait(false);
        }

        var rows = new PostgreSqlRowBuffer();
        for (int i = 0; i < attempt.Batch.Count; i++)
        {
            attempt.Results[i] = planner.Plan(attempt.Batch[i], rows);
        }

        await using NpgsqlBatch write = new(connection);
        rows.AddInserts(write, _schema);
        write.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await write.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Remember(planner);
    }

    /// <summary>
    /// The fallback after a unique violation, an unreadable row or another non-transient database
    /// error: one request at a time, each decided from fresh reads and inserted inside its own
    /// savepoint, so a request that fails leaves the others of the batch intact.
    /// </summary>
    private async ValueTask CommitCarefullyAsync(NpgsqlConnection connection, BatchAttempt attempt, CancellationToken cancellationToken)
    {
        long lastPosition;
        await using (NpgsqlBatch begin = new(connection))
        {
            AddBegin(begin);
            await using NpgsqlDataReader reader = await begin.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            lastPosition = (await ReadBeginAsync(reader, attempt, cancellationToken).ConfigureAwait(false)).LastPosition;
        }

        for (int i = 0; i < attempt.Batch.Count; i++)
        {
            (attempt.Results[i], lastPosition) = await CommitOneAsync(connection, attempt.Batch[i], lastPosition, cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, "COMMIT", cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<(object Result, long LastPosition)> CommitOneAsync(NpgsqlConnection connection, PendingAppend request, long lastPosition, CancellationToken cancellationToken)
    {
        for (int tries = 0; tries < CarefulTries; tries++)
        {
            var planner = new AppendPlanner(lastPosition);
            try
            {
                await using NpgsqlBatch load = new(connection);
                AppendLoad.Add(load, [request], _schema);
                await using NpgsqlDataReader reader = await load.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await AppendLoad.ReadAsync(reader, planner, cancellationToken).ConfigureAwait(false);
            }
            catch (JobJournalCorruptionException corruption)
            {
                return (corruption, lastPosition);
            }

            var rows = new PostgreSqlRowBuffer();
            object result = planner.Plan(request, rows);
            if (rows.Count == 0)
            {
                return (result, lastPosition);
            }

            try
            {
                await using NpgsqlBatch write = new(connection);
                write.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT jm_append"));
                rows.AddInserts(write, _schema);
                write.BatchCommands.Add(new NpgsqlBatchCommand("RELEASE SAVEPOINT jm_append"));
                await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return (result, planner.LastPosition);
            }
            catch (PostgresException exception) when (PostgreSqlErrors.IsUniqueViolation(exception))
            {
                // Someone outside the position lock placed the same sequence or event first: decide again.
                await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT jm_append", cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (!PostgreSqlErrors.IsTransient(exception))
            {
                // This request's rows cannot be stored (say, a value PostgreSQL text cannot hold): it alone fails.
                await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT jm_append", cancellationToken).ConfigureAwait(false);
                return (PostgreSqlErrors.Translate(exception, $"append to stream '{request.JobId}'; nothing of this request was appended"), lastPosition);
            }
        }

        await using var version = new NpgsqlCommand($"SELECT COALESCE(max(sequence), 0) FROM {_schema.Entries} WHERE stream = $1", connection) { Parameters = { new NpgsqlParameter { Value = request.JobId.Value } } };
        long actual = (long)(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return (new JobConcurrencyException(request.JobId, request.ExpectedVersion, actual), lastPosition);
    }

    private void AddBegin(NpgsqlBatch batch)
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_schema.AppendLock));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT txid_current(), COALESCE((SELECT max(position) FROM {_schema.Entries}), 0)"));
    }

    private static async ValueTask<AppendPlanner> ReadBeginAsync(NpgsqlDataReader reader, BatchAttempt attempt, CancellationToken cancellationToken)
    {
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the lock's result
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        attempt.TransactionId = reader.GetInt64(0);
        var planner = new AppendPlanner(reader.GetInt64(1));
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        return planner;
    }

    private static async ValueTask ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A batch on its way to the database, across retries.</summary>
    private sealed class BatchAttempt(List<PendingAppend> batch)
    {
        public List<PendingAppend> Batch { get; } = batch;

        /// <summary>Gets each request's decided outcome: an <see cref="AppendResult"/> or an exception.</summary>
        public object?[] Results { get; } = new object?[batch.Count];

        /// <summary>Gets or sets the id of the transaction in flight; set while its outcome is unknown.</summary>
        public long? TransactionId { get; set; }

        /// <summary>Gets or sets the rows of a one-round-trip commit in flight; set while its outcome is unknown.</summary>
        public PlannedRows? Planned { get; set; }
    }
}
