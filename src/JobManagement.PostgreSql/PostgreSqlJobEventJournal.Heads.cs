namespace JobManagement.PostgreSql;

/// <summary>Entry heads for the worker's poll: position, stream, sequence and type, joined with the job index for job types.</summary>
public sealed partial class PostgreSqlJobEventJournal : IJobEventHeadReader
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobEventHead>> ReadHeadsAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromPosition, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return await QueryAsync(
            $"SELECT e.position, e.stream, e.sequence, e.event_type, j.job_type FROM {_schema.Entries} e LEFT JOIN {_schema.Jobs} j ON j.job_id = e.stream AND j.position = e.position WHERE e.position >= $1 ORDER BY e.position LIMIT $2",
            "read entry heads",
            static reader => JournalRowCodec.ReadHead(reader),
            cancellationToken,
            fromPosition,
            (long)maxCount).ConfigureAwait(false);
    }
}
