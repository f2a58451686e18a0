using Npgsql;

namespace JobManagement.PostgreSql;

/// <summary>
/// The reads an <see cref="AppendPlanner"/> needs before it decides (each stream's version, the entries
/// already holding the requests' event ids, and the entries of any stream holding the id of a creation the
/// requests carry), shared by the writer and by appends in a caller's transaction. Run them
/// after taking the position lock, so what they read is current.
/// </summary>
internal static class AppendLoad
{
    /// <summary>
    /// Adds the reads a plan needs: each stream's version, and the entries already holding the batch's (stream,
    /// event id) pairs or, in any stream, the id of one of its creations (an empty lookup for a batch without any).
    /// </summary>
    public static void Add(NpgsqlBatch batch, IReadOnlyList<PendingAppend> requests, PostgreSqlSchema schema)
    {
        List<string> streams = [];
        List<string> pairStreams = [];
        List<string> pairIds = [];
        HashSet<JobId> seen = [];
        foreach (PendingAppend request in requests)
        {
            if (seen.Add(request.JobId))
            {
                streams.Add(request.JobId.Value);
            }

            foreach (NewJobEvent e in request.Events)
            {
                pairStreams.Add(request.JobId.Value);
                pairIds.Add(e.EventId.Value);
            }
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT s.stream, (SELECT max(e.sequence) FROM {schema.Entries} e WHERE e.stream = s.stream) FROM unnest($1::text[]) AS s(stream)")
        {
            Parameters = { new NpgsqlParameter { Value = streams.ToArray() } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT {JournalRowCodec.ColumnsOf("e")} FROM unnest($1::text[], $2::text[]) AS k(stream, event_id) JOIN {schema.Entries} e ON e.stream = k.stream AND e.event_id = k.event_id
            UNION ALL
            SELECT {JournalRowCodec.ColumnsOf("e")} FROM {schema.Entries} e WHERE e.event_id = ANY($3::text[])
            """)
        {
            Parameters = { new NpgsqlParameter { Value = pairStreams.ToArray() }, new NpgsqlParameter { Value = pairIds.ToArray() }, new NpgsqlParameter { Value = CreationIds(requests) } },
        });
    }

    /// <summary>The event ids of the <c>job.created</c> entries the requests carry (usually none).</summary>
    public static string[] CreationIds(IReadOnlyList<PendingAppend> requests)
    {
        List<string>? ids = null;
        foreach (PendingAppend request in requests)
        {
            foreach (NewJobEvent e in request.Events)
            {
                if (JobCreatedFact.IsCreation(e.Lane, e.EventType))
                {
                    (ids ??= []).Add(e.EventId.Value);
                }
            }
        }

        return ids?.ToArray() ?? [];
    }

    /// <summary>Reads the results of <see cref="Add"/> into the planner.</summary>
    public static async ValueTask ReadAsync(NpgsqlDataReader reader, AppendPlanner planner, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!reader.IsDBNull(1))
            {
                planner.AddVersion(JobId.Parse(reader.GetString(0)), reader.GetInt64(1));
            }
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            planner.AddRecorded(JournalRowCodec.Read(reader));
        }
    }
}
