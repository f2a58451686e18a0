using Npgsql;

namespace JobManagement.PostgreSql;

/// <summary>Appending inside a unit of work's transaction (<see cref="PostgreSqlJobUnitOfWork"/>).</summary>
public sealed partial class PostgreSqlJobEventJournal
{
    /// <inheritdoc />
    /// <remarks>
    /// <para>The transaction must be an open <see cref="PostgreSqlJobUnitOfWork"/> over this journal (read committed).</para>
    /// <para><b>Gap safety.</b> The append first takes the same transaction-scoped advisory lock as the writer,
    /// then numbers its entries after <c>max(position)</c>, exactly as the writer does; the lock is held until
    /// the caller's transaction ends. So positions stay dense and become visible in increasing order across
    /// both paths: no append of any node can take a later position and commit before this one, and a
    /// rollback leaves no hole (the next append reuses the position). The price: from this append until the
    /// caller commits, every other append to the schema waits — the engine appends the attempt's success
    /// last, right before its commit.</para>
    /// <para>The insert runs in a savepoint: a unique violation (a writer that bypassed the lock) is reported
    /// as <see cref="JobConcurrencyException"/>, and any refusal leaves the caller's transaction usable.
    /// Transient faults are not retried here: a transaction cannot be resumed on another connection.</para>
    /// </remarks>
    public async ValueTask<AppendResult> AppendInTransactionAsync(IJobJournalTransaction transaction, JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        JournalArguments.ValidateAppend(jobId, events);
        if (transaction is not PostgreSqlJobUnitOfWork unitOfWork || !ReferenceEquals(unitOfWork.Journal, this))
        {
            throw new ArgumentException("The transaction is not one of this PostgreSQL journal's: pass the PostgreSqlJobUnitOfWork of an engine that uses this journal.", nameof(transaction));
        }

        if (!unitOfWork.IsActive)
        {
            throw new InvalidOperationException("The unit of work's transaction is not open: append after BeginAsync and before it commits.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        await WriterAsync(cancellationToken).ConfigureAwait(false);
        var request = new PendingAppend(jobId, expectedVersion, events, cancellationToken);
        try
        {
            return await AppendInTransactionCoreAsync(unitOfWork.Connection, unitOfWork.Transaction, request, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw PostgreSqlErrors.Translate(exception, $"append to stream '{jobId}' in the caller's transaction; nothing of it was appended");
        }
    }

    /// <summary>Gets the journal's data source (for its unit of work).</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    private async ValueTask<AppendResult> AppendInTransactionCoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingAppend request, CancellationToken cancellationToken)
    {
        AppendPlanner planner;
        await using (var load = new NpgsqlBatch(connection, transaction))
        {
            load.BatchCommands.Add(new NpgsqlBatchCommand("SELECT current_setting('transaction_isolation')"));
            load.BatchCommands.Add(new NpgsqlBatchCommand(_schema.AppendLock));
            load.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT COALESCE((SELECT max(position) FROM {_schema.Entries}), 0)"));
            AppendLoad.Add(load, [request], _schema);
            await using NpgsqlDataReader reader = await load.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            string isolation = reader.GetString(0);
            if (!string.Equals(isolation, "read committed", StringComparison.Ordinal))
            {
                // Under a snapshot older than the lock, max(position) could be stale: refuse rather than collide.
                throw new InvalidOperationException($"Appending in a transaction needs the read committed isolation level (the transaction is {isolation}).");
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // the lock's result
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            planner = new AppendPlanner(reader.GetInt64(0));
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await AppendLoad.ReadAsync(reader, planner, cancellationToken).ConfigureAwait(false);
        }

        var rows = new PostgreSqlRowBuffer();
        object result = planner.Plan(request, rows);
        if (result is Exception refused)
        {
            throw refused; // a concurrency conflict, or a creation whose id already created another job
        }

        if (rows.Count > 0)
        {
            await InsertInSavepointAsync(connection, transaction, request, rows, cancellationToken).ConfigureAwait(false);
        }

        return (AppendResult)result;
    }

    private async ValueTask InsertInSavepointAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingAppend request, PostgreSqlRowBuffer rows, CancellationToken cancellationToken)
    {
        try
        {
            await using var write = new NpgsqlBatch(connection, transaction);
            write.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT jm_append"));
            rows.AddInserts(write, _schema);
            write.BatchCommands.Add(new NpgsqlBatchCommand("RELEASE SAVEPOINT jm_append"));
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (!PostgreSqlErrors.IsTransient(exception))
        {
            await using (var undo = new NpgsqlCommand("ROLLBACK TO SAVEPOINT jm_append; RELEASE SAVEPOINT jm_append", connection, transaction))
            {
                await undo.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!PostgreSqlErrors.IsUniqueViolation(exception))
            {
                throw;
            }

            // Someone outside the position lock placed the same sequence or event first.
            await using var version = new NpgsqlCommand($"SELECT COALESCE(max(sequence), 0) FROM {_schema.Entries} WHERE stream = $1", connection, transaction) { Parameters = { new NpgsqlParameter { Value = request.JobId.Value } } };
            long actual = (long)(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            throw new JobConcurrencyException(request.JobId, request.ExpectedVersion, actual);
        }
    }
}
