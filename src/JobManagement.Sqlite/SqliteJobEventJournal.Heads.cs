using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite;

/// <summary>Entry heads for the worker's poll: position, stream, sequence and type, joined with the job index for job types.</summary>
public sealed partial class SqliteJobEventJournal : IJobEventHeadReader
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobEventHead>> ReadHeadsAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromPosition, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        await WriterAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteReader reader = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        SqliteCommand command = reader.Command(
            "SELECT e.position, e.stream, e.sequence, e.event_type, j.job_type FROM jm_entries e LEFT JOIN jm_jobs j ON j.job_id = e.stream AND j.position = e.position WHERE e.position >= $from ORDER BY e.position LIMIT $max;",
            ("$from", fromPosition),
            ("$max", maxCount));
        await using SqliteDataReader rows = await ExecuteReaderAsync(command, cancellationToken).ConfigureAwait(false);
        List<JobEventHead> heads = [];
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            heads.Add(JournalRowCodec.ReadHead(rows));
        }

        return heads;
    }
}
