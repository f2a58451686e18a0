using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;

namespace JobManagement.PostgreSql;

/// <summary>
/// The journal's only writer in this process: a queue of append requests drained by one loop that
/// commits each batch in one transaction (group commit), so concurrent callers share one commit.
/// Every caller learns its own outcome (appended, duplicate, or concurrency conflict).
/// </summary>
/// <remarks>
/// <para><b>Positions commit in order.</b> Each append transaction first takes a transaction-scoped
/// advisory lock on a key derived from the schema name (<c>pg_advisory_xact_lock</c>), then reads
/// <c>max(position)</c> and numbers its entries after it. The lock is held until commit, and it is
/// released only once the commit is visible, so across every process sharing the schema positions
/// are dense and become visible in increasing order: a reader of "everything from position P"
/// never sees P+1 before P, and never has to wait for a gap to fill.</para>
/// <para><b>Decide, then insert.</b> Under the lock the writer reads the versions and the already
/// recorded event ids of the batch's streams (and the entries of any stream that hold the id of a
/// creation in the batch) in one round trip, decides every request in memory
/// (<see cref="AppendPlanner"/>: so one creation request makes one job across nodes, checked under the
/// lock every append takes), and inserts all new rows with one multi-row statement per table,
/// followed by COMMIT, in a second round trip. The unique constraints stay the arbiter: should a
/// writer that bypasses the lock cause a unique violation (23505), a stored row fail to read,
/// or any other non-transient database error (such as a value PostgreSQL cannot store), the batch
/// is rolled back and committed again one request at a time, each in its own savepoint, so only
/// the request concerned fails.</para>
/// <para><b>Transient faults</b> (a dropped connection, a server restart) are retried with Polly.
/// When the connection dropped after the batch's transaction got an id, the retry first asks the
/// server whether that transaction committed (<c>txid_status</c>): if so, the decided outcomes
/// stand; otherwise the batch is decided again, which re-checks duplicates, so nothing is doubled.</para>
/// </remarks>
internal sealed partial class PostgreSqlAppendWriter : IAsyncDisposable
{
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlSchema _schema;
    private readonly PostgreSqlJournalOptions _options;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Task _loop;
    private NpgsqlConnection? _connection;

    public PostgreSqlAppendWriter(NpgsqlDataSource dataSource, PostgreSqlSchema schema, PostgreSqlJournalOptions options, ResiliencePipeline retry, ILogger logger, TimeProvider time)
    {
        _dataSource = dataSource;
        _schema = schema;
        _options = options;
        _retry = retry;
        _logger = logger;
        _time = time;
        _loop = Task.Run(RunAsync);
    }

    public Task<AppendResult> EnqueueAsync(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(jobId, expectedVersion, events, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), typeof(PostgreSqlJobEventJournal));
        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await DropConnectionAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        List<PendingAppend> batch = new(_options.MaxBatchSize);
        int previous = 0;
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Drain(batch);
            await GroupCommitFill.FillLikePreviousAsync(batch, previous, _options.MaxBatchSize, Drain).ConfigureAwait(false);
            if (_options.MaxBatchWait > TimeSpan.Zero && batch.Count < _options.MaxBatchSize)
            {
                await Task.Delay(_options.MaxBatchWait, _time).ConfigureAwait(false);
                Drain(batch);
            }

            previous = batch.Count;
            if (batch.Count > 0)
            {
                await CommitAsync(batch).ConfigureAwait(false);
            }

            batch.Clear();
        }
    }

    private void Drain(List<PendingAppend> batch)
    {
        while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out PendingAppend? next))
        {
            if (next.CancellationToken.IsCancellationRequested)
            {
                next.Completion.TrySetCanceled(next.CancellationToken);
            }
            else
            {
                batch.Add(next);
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch)
    {
        var attempt = new BatchAttempt(batch);
        ResilienceContext context = ResilienceContextPool.Shared.Get("commit a batch of appends", CancellationToken.None);
        try
        {
            await _retry.ExecuteAsync(
                static async (context, state) => await state.Writer.CommitOnceAsync(state.Attempt, context.CancellationToken).ConfigureAwait(false),
                context,
                (Writer: this, Attempt: attempt)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every failure must reach the callers, whatever its type; none may kill the writer loop.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Exception failure = exception is NpgsqlException npgsql
                ? PostgreSqlErrors.Translate(npgsql, $"commit a batch of {batch.Count} append(s); whether it took effect is unknown, and retrying is safe")
                : exception;
            foreach (PendingAppend pending in batch)
            {
                pending.Completion.TrySetException(failure);
            }

            return;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        for (int i = 0; i < batch.Count; i++)
        {
            if (attempt.Results[i] is AppendResult result)
            {
                batch[i].Completion.TrySetResult(result);
            }
            else
            {
                batch[i].Completion.TrySetException((Exception)attempt.Results[i]!);
            }
        }
    }

    /// <summary>One attempt to commit the batch; throws a transient exception for Polly to retry.</summary>
    private async ValueTask CommitOnceAsync(BatchAttempt attempt, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (attempt.TransactionId is { } earlier && await EarlierAttemptCommittedAsync(connection, earlier, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (attempt.Planned is { } planned && await PlannedRowsCommittedAsync(connection, planned, cancellationToken).ConfigureAwait(false))
            {
                attempt.Planned = null;
                return;
            }

            attempt.TransactionId = null;
            attempt.Planned = null;
            try
            {
                if (!await TryCommitOptimisticAsync(connection, attempt, cancellationToken).ConfigureAwait(false))
                {
                    await CommitFastAsync(connection, attempt, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (exception is JobJournalCorruptionException or PostgresException && !PostgreSqlErrors.IsTransient(exception))
            {
                Forget();
                Log.BatchFallback(_logger, exception, _schema.Name, attempt.Batch.Count);
                await ExecuteAsync(connection, "ROLLBACK", cancellationToken).ConfigureAwait(false);
                attempt.TransactionId = null;
                attempt.Planned = null;
                await CommitCarefullyAsync(connection, attempt, cancellationToken).ConfigureAwait(false);
            }

            attempt.TransactionId = null;
        }
        catch
        {
            Forget();
            // The connection's state is unknown (perhaps mid-transaction, perhaps broken): never reuse it.
            await DropConnectionAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The writer's own connection, kept open between batches (so its prepared statements are reused and
    /// no pool round trip is paid per commit); opened again after a failure.
    /// </summary>
    private async ValueTask<NpgsqlConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { FullState: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        await DropConnectionAsync().ConfigureAwait(false);
        _connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return _connection;
    }

    private async ValueTask DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Asks the server whether the transaction of an attempt whose connection dropped committed.</summary>
    private async ValueTask<bool> EarlierAttemptCommittedAsync(NpgsqlConnection connection, long transactionId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT txid_status($1)", connection) { Parameters = { new NpgsqlParameter { Value = transactionId } } };
        string status = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? "unknown";
        Log.CommitOutcomeChecked(_logger, _schema.Name, (ulong)transactionId, status);
        return status switch
        {
            "committed" => true,
            "in progress" => throw new TransientCommitStateException(transactionId),
            _ => false,
        };
    }
}
