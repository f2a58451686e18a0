using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite;

/// <summary>
/// The journal's only writer in this process: a queue of append requests drained by one loop that
/// commits each batch in one transaction (group commit), so concurrent callers share one fsync.
/// Each request runs inside its own savepoint, so one request's concurrency conflict does not
/// affect the others; every caller learns its own outcome. Positions are assigned inside the write
/// lock, so they commit in order and a reader of "everything from position P" never skips one.
/// </summary>
internal sealed class SqliteAppendWriter : IAsyncDisposable
{
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly SqliteJournalOptions _options;
    private readonly TimeProvider _time;
    private readonly SqliteWriteCommands _commands;
    private readonly Task _loop;

    public SqliteAppendWriter(SqliteConnection connection, SqliteJournalOptions options, TimeProvider time)
    {
        _connection = connection;
        _options = options;
        _time = time;
        _commands = new SqliteWriteCommands(connection);
        _loop = Task.Run(RunAsync);
    }

    public Task<AppendResult> EnqueueAsync(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(jobId, expectedVersion, events, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), typeof(SqliteJobEventJournal));

        return pending.Completion.Task;
    }

    /// <summary>Reads a pragma on the writer's connection. Only for tests: it races with a running batch otherwise.</summary>
    public long Pragma(string name)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _commands.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
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
            Commit(batch);
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

    private void Commit(List<PendingAppend> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var results = new object[batch.Count];
        try
        {
            using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
            _commands.Enlist(transaction);
            _commands.BeginBatch();
            for (int i = 0; i < batch.Count; i++)
            {
                results[i] = _commands.Append(batch[i].JobId, batch[i].ExpectedVersion, batch[i].Events, transaction);
            }

            transaction.Commit();
        }
        catch (SqliteException exception)
        {
            _commands.Forget(); // the batch rolled back: what the commands remember of it is void
            var failure = new JobJournalException($"The SQLite journal could not commit a batch of {batch.Count} append(s); none of them took effect.", exception);
            foreach (PendingAppend pending in batch)
            {
                pending.Completion.TrySetException(failure);
            }

            return;
        }

        for (int i = 0; i < batch.Count; i++)
        {
            if (results[i] is AppendResult result)
            {
                batch[i].Completion.TrySetResult(result);
            }
            else
            {
                batch[i].Completion.TrySetException((Exception)results[i]);
            }
        }
    }

    private sealed class PendingAppend(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken)
    {
        public JobId JobId { get; } = jobId;

        public ExpectedStreamVersion ExpectedVersion { get; } = expectedVersion;

        public IReadOnlyList<NewJobEvent> Events { get; } = events;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
