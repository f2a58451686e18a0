using Npgsql;

namespace JobManagement.PostgreSql;

/// <summary>
/// The rows a batch appends, column by column, so each table gets one multi-row
/// <c>INSERT … SELECT FROM unnest(arrays)</c> whatever the batch size: one round trip, and one
/// statement the server plans once. The derived lookups (job index, correlation index, domain
/// attribute index) are collected beside the entries and written in the same transaction.
/// </summary>
internal sealed class PostgreSqlRowBuffer
{
    private readonly List<long> _position = [];
    private readonly List<string> _stream = [];
    private readonly List<long> _sequence = [];
    private readonly List<string> _eventId = [];
    private readonly List<string> _eventType = [];
    private readonly List<short> _lane = [];
    private readonly List<string?> _taskId = [];
    private readonly List<long> _occurredTicks = [];
    private readonly List<int> _occurredOffset = [];
    private readonly List<long> _recordedTicks = [];
    private readonly List<int> _recordedOffset = [];
    private readonly List<string> _attributes = [];
    private readonly List<string?> _payload = [];
    private readonly List<string?> _executionId = [];
    private readonly List<string?> _traceId = [];
    private readonly List<string?> _spanId = [];
    private readonly List<byte[]> _checksum = [];

    private readonly List<string> _jobId = [];
    private readonly List<string> _jobType = [];
    private readonly List<long> _jobPosition = [];

    private readonly List<string> _correlationType = [];
    private readonly List<string> _correlationKey = [];
    private readonly List<string> _correlationValue = [];
    private readonly List<long> _correlationPosition = [];
    private readonly List<string> _correlationJob = [];

    private readonly List<string> _attributeKey = [];
    private readonly List<string> _attributeValue = [];
    private readonly List<long> _attributePosition = [];

    /// <summary>Gets the number of entries buffered.</summary>
    public int Count => _position.Count;

    public void Add(NewJobEvent e, JobEventLogEntry entry)
    {
        string attributes = JournalRowCodec.AttributesJson(e.Attributes);
        string? payload = JournalRowCodec.PayloadJson(e.Payload);
        _position.Add(entry.Position);
        _stream.Add(entry.JobId.Value);
        _sequence.Add(entry.Sequence);
        _eventId.Add(e.EventId.Value);
        _eventType.Add(e.EventType.Value);
        _lane.Add((short)e.Lane);
        _taskId.Add(e.TaskId?.Value);
        _occurredTicks.Add(e.OccurredAt.UtcTicks);
        _occurredOffset.Add(JournalRowCodec.OffsetMinutes(e.OccurredAt));
        _recordedTicks.Add(e.RecordedAt.UtcTicks);
        _recordedOffset.Add(JournalRowCodec.OffsetMinutes(e.RecordedAt));
        _attributes.Add(attributes);
        _payload.Add(payload);
        _executionId.Add(e.Observability.ExecutionId);
        _traceId.Add(e.Observability.TraceId);
        _spanId.Add(e.Observability.SpanId);
        _checksum.Add(JournalRowCodec.Checksum(entry.JobId, entry.Sequence, e, attributes, payload));
        Index(entry);
    }

    /// <summary>The positions and checksums of the buffered entries: what identifies them in the table after a commit.</summary>
    public PlannedRows Planned() => new([.. _position], [.. _checksum]);

    /// <summary>Adds the insert statements for everything buffered to <paramref name="batch"/>.</summary>
    public void AddInserts(NpgsqlBatch batch, PostgreSqlSchema schema)
    {
        if (Count == 0)
        {
            return;
        }

        batch.BatchCommands.Add(Command(
            $"""
            INSERT INTO {schema.Entries} ({JournalRowCodec.Columns})
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::smallint[], $7::text[], $8::bigint[], $9::integer[], $10::bigint[], $11::integer[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::bytea[])
            """,
            _position, _stream, _sequence, _eventId, _eventType, _lane, _taskId, _occurredTicks, _occurredOffset, _recordedTicks, _recordedOffset, _attributes, _payload, _executionId, _traceId, _spanId, _checksum));

        if (_jobId.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                $"INSERT INTO {schema.Jobs} (job_id, job_type, position) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING",
                _jobId, _jobType, _jobPosition));
        }

        if (_correlationKey.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                $"INSERT INTO {schema.JobCorrelation} (job_type, key, value, position, job_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[]) ON CONFLICT DO NOTHING",
                _correlationType, _correlationKey, _correlationValue, _correlationPosition, _correlationJob));
        }

        if (_attributeKey.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                $"INSERT INTO {schema.EventAttributes} (key, value, position) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING",
                _attributeKey, _attributeValue, _attributePosition));
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] columns)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (object column in columns)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ToArray(column) });
        }

        return command;
    }

    private static object ToArray(object column) => column switch
    {
        List<long> values => values.ToArray(),
        List<int> values => values.ToArray(),
        List<short> values => values.ToArray(),
        List<string> values => values.ToArray(),
        List<byte[]> values => values.ToArray(),
        _ => throw new InvalidOperationException($"Unexpected column type {column.GetType()}."),
    };

    /// <summary>The derived lookups, as in <c>JournalIndexes</c>: domain attributes, and jobs from <c>job.created</c>.</summary>
    private void Index(JobEventLogEntry entry)
    {
        if (entry.Lane == EventLane.Domain)
        {
            foreach (KeyValuePair<string, string> attribute in entry.Attributes)
            {
                _attributeKey.Add(attribute.Key);
                _attributeValue.Add(attribute.Value);
                _attributePosition.Add(entry.Position);
            }
        }
        else if (JobCreatedFact.TryRead(entry, out JobType jobType, out EventAttributes? correlation))
        {
            _jobId.Add(entry.JobId.Value);
            _jobType.Add(jobType.Value);
            _jobPosition.Add(entry.Position);
            foreach (KeyValuePair<string, string> pair in correlation)
            {
                _correlationType.Add(jobType.Value);
                _correlationKey.Add(pair.Key);
                _correlationValue.Add(pair.Value);
                _correlationPosition.Add(entry.Position);
                _correlationJob.Add(entry.JobId.Value);
            }
        }
    }
}

/// <summary>The rows a one-round-trip commit inserts, by position and checksum.</summary>
internal sealed record PlannedRows(long[] Positions, byte[][] Checksums);
