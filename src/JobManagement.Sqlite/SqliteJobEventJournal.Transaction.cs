using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite;

/// <summary>Appending inside a unit of work's transaction (<see cref="SqliteJobUnitOfWork"/>).</summary>
public sealed partial class SqliteJobEventJournal
{
    /// <inheritdoc />
    /// <remarks>
    /// The transaction must be a <see cref="SqliteJobUnitOfWork"/> over this journal, begun and not yet ended
    /// (its database transaction begins here if the handler has not used it yet). It holds SQLite's write lock (<c>BEGIN IMMEDIATE</c>), so the stream's version it reads is current and
    /// the positions it assigns commit in order, as the writer's do. The same statements as the writer's
    /// write the entry, its checksum and its index rows (job, correlation, domain attributes).
    /// </remarks>
    public async ValueTask<AppendResult> AppendInTransactionAsync(IJobJournalTransaction transaction, JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        JournalArguments.ValidateAppend(jobId, events);
        if (transaction is not SqliteJobUnitOfWork unitOfWork || !ReferenceEquals(unitOfWork.Journal, this))
        {
            throw new ArgumentException("The transaction is not one of this SQLite journal's: pass the SqliteJobUnitOfWork of an engine that uses this journal.", nameof(transaction));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await WriterAsync(cancellationToken).ConfigureAwait(false);
        object result;
        try
        {
            // Commands begins the transaction if need be; it throws InvalidOperationException when the unit of work has ended.
            result = unitOfWork.Commands.Append(jobId, expectedVersion, events, unitOfWork.Transaction);
        }
        catch (SqliteException exception)
        {
            throw Translate(exception);
        }

        return result is AppendResult appended ? appended : throw (Exception)result;
    }

    /// <summary>Gets the journal's options (for its unit of work).</summary>
    internal SqliteJournalOptions Options => _options;

    /// <summary>Opens a connection to the journal's file for a unit of work, with the journal's durability.</summary>
    internal SqliteConnection OpenUnitOfWorkConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            SqliteSchema.ApplyDurability(connection, _options.Durability);
            return connection;
        }
        catch (SqliteException exception)
        {
            connection.Dispose();
            throw Translate(exception);
        }
    }
}
