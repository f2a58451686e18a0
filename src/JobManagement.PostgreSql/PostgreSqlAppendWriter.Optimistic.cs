using Npgsql;

namespace JobManagement.PostgreSql;

/// <summary>
/// The one-round-trip commit: when the writer knows the journal's last position and the versions of a
/// batch's streams from its own earlier commits, it decides the batch in memory (every event new) and
/// sends BEGIN, the position lock, a check, the inserts and COMMIT together.
/// </summary>
/// <remarks>
/// <para>Nothing it remembers is trusted. Under the position lock the check statement compares the
/// remembered last position and every stream's version with the table, and looks the batch's
/// <c>job.created</c> ids up, and fails with a division by zero (22012) when a version differs — another node
/// appended, say — or a creation's id is already the id of any entry (in any stream: the usual path then
/// decides whether it is a duplicate or a refusal), which aborts the transaction before any row
/// is inserted. A duplicate event, which the plan assumed new, is refused by UNIQUE (stream, event id)
/// (23505). Either way the batch is rolled back and committed again the usual way (reads first, then the
/// inserts), which looks every event up; what the writer remembers is dropped.</para>
/// <para>When the connection drops during this round trip the transaction id may never have reached the
/// writer; the retry then asks the table, under the position lock (so an unfinished transaction is
/// waited for), whether every planned row is there with its planned checksum: then the batch committed
/// and its decided outcomes stand; otherwise it is decided again.</para>
/// </remarks>
internal sealed partial class PostgreSqlAppendWriter
{
    private const int MaxRememberedStreams = 65_536;

    private readonly Dictionary<JobId, long> _versions = [];
    private long _lastPosition = -1;

    /// <summary>Forgets remembered versions and the last position (after any failure or fallback).</summary>
    private void Forget()
    {
        _versions.Clear();
        _lastPosition = -1;
    }

    /// <summary>Remembers what a committed plan leaves behind: the batch's stream versions and the last position.</summary>
    private void Remember(AppendPlanner planner)
    {
        if (_versions.Count + planner.Versions.Count > MaxRememberedStreams)
        {
            _versions.Clear();
        }

        foreach (KeyValuePair<JobId, long> version in planner.Versions)
        {
            _versions[version.Key] = version.Value;
        }

        _lastPosition = planner.LastPosition;
    }

    /// <summary>
    /// Tries the one-round-trip commit. Returns false, with nothing committed and the connection out of any
    /// transaction, when the batch must be committed the usual way.
    /// </summary>
    private async ValueTask<bool> TryCommitOptimisticAsync(NpgsqlConnection connection, BatchAttempt attempt, CancellationToken cancellationToken)
    {
        if (_lastPosition < 0)
        {
            return false;
        }

        var planner = new AppendPlanner(_lastPosition);
        foreach (PendingAppend request in attempt.Batch)
        {
            if (_versions.TryGetValue(request.JobId, out long version))
            {
                planner.AddVersion(request.JobId, version);
            }
            else if (request.ExpectedVersion != ExpectedStreamVersion.NoStream)
            {
                return false; // a stream this writer has not seen: its version must be read
            }
        }

        var rows = new PostgreSqlRowBuffer();
        var results = new object[attempt.Batch.Count];
        for (int i = 0; i < attempt.Batch.Count; i++)
        {
            results[i] = planner.Plan(attempt.Batch[i], rows);
            if (results[i] is not AppendResult)
            {
                return false; // a refused version check may hide a duplicate (duplicates are not version-checked), a refused creation too: read first
            }
        }

        (string[] streams, long[] versions) = planner.Expectations(attempt.Batch);
        await using NpgsqlBatch batch = new(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_schema.AppendLock));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_schema.OptimisticCheck)
        {
            Parameters = { new NpgsqlParameter { Value = _lastPosition }, new NpgsqlParameter { Value = streams }, new NpgsqlParameter { Value = versions }, new NpgsqlParameter { Value = AppendLoad.CreationIds(attempt.Batch) } },
        });
        rows.AddInserts(batch, _schema);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);

        attempt.Planned = rows.Planned();
        results.CopyTo(attempt.Results, 0);
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DivisionByZero or PostgresErrorCodes.UniqueViolation)
        {
            // Stale memory, a duplicate, or a creation's id already used: nothing was inserted. Commit the batch the usual way.
            attempt.Planned = null;
            Forget();
            await ExecuteAsync(connection, "ROLLBACK", cancellationToken).ConfigureAwait(false);
            return false;
        }

        attempt.Planned = null;
        Remember(planner);
        return true;
    }

    /// <summary>Tells whether an optimistic attempt whose connection dropped committed: every planned row present with its planned checksum.</summary>
    private async ValueTask<bool> PlannedRowsCommittedAsync(NpgsqlConnection connection, PlannedRows planned, CancellationToken cancellationToken)
    {
        await using NpgsqlBatch probe = new(connection);
        probe.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        probe.BatchCommands.Add(new NpgsqlBatchCommand(_schema.AppendLock)); // waits for an unfinished transaction of the dropped connection
        probe.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT count(*) FROM unnest($1::bigint[], $2::bytea[]) AS k(position, checksum) JOIN {_schema.Entries} e ON e.position = k.position AND e.checksum = k.checksum")
        {
            Parameters = { new NpgsqlParameter { Value = planned.Positions }, new NpgsqlParameter { Value = planned.Checksums } },
        });
        probe.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        long found;
        await using (NpgsqlDataReader reader = await probe.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the lock's result
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            found = reader.GetInt64(0);
        }

        bool committed = found == planned.Positions.Length;
        Log.OptimisticOutcomeChecked(_logger, _schema.Name, planned.Positions.Length, found, committed);
        return committed;
    }
}
