using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace JobManagement;

/// <summary>
/// Reads and writes the shape of a <c>job.created</c> entry: the job type in the reserved
/// <c>job.type</c> attribute, the job's correlation values in the other attributes, and the
/// job's input as the payload. Journals use it to maintain their job index.
/// </summary>
public static class JobCreatedFact
{
    /// <summary>
    /// Tells whether an entry of this lane and type creates a job (an execution-lane <c>job.created</c>): a
    /// journal refuses one whose event id already created a job in another stream (see <see cref="IJobEventJournal.AppendAsync(JobId, ExpectedStreamVersion, IReadOnlyList{NewJobEvent}, CancellationToken)"/>).
    /// </summary>
    /// <param name="lane">The entry's lane.</param>
    /// <param name="eventType">The entry's event type.</param>
    /// <returns>True for a job's creation.</returns>
    public static bool IsCreation(EventLane lane, EventTypeId eventType) =>
        lane == EventLane.Execution && eventType == ExecutionEventTypes.Created;

    /// <summary>Reads the job type and correlation values from a <c>job.created</c> entry.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="jobType">The job type.</param>
    /// <param name="correlation">The correlation values.</param>
    /// <returns>False when the entry is not a well-formed <c>job.created</c> entry.</returns>
    public static bool TryRead(JobEventLogEntry entry, out JobType jobType, [NotNullWhen(true)] out EventAttributes? correlation)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return TryRead(entry.EventType, entry.Attributes, out jobType, out correlation);
    }

    /// <summary>As <see cref="TryRead(JobEventLogEntry, out JobType, out EventAttributes?)"/>, from an entry's type and attributes (a journal's stored form need not make an entry).</summary>
    internal static bool TryRead(EventTypeId eventType, EventAttributes attributes, out JobType jobType, [NotNullWhen(true)] out EventAttributes? correlation)
    {
        jobType = default;
        correlation = null;
        if (eventType != ExecutionEventTypes.Created
            || !attributes.TryGetValue(ReservedAttributes.JobType, out string? typeText)
            || !JobType.TryParse(typeText, out jobType))
        {
            return false;
        }

        correlation = attributes.Without(ReservedAttributes.JobType);
        return true;
    }

    /// <summary>Builds the attributes of a <c>job.created</c> entry.</summary>
    internal static EventAttributes Attributes(JobType jobType, EventAttributes correlation) =>
        EventAttributes.CreateTrusted(correlation.Append(KeyValuePair.Create(ReservedAttributes.JobType, jobType.Value)));

    /// <summary>Builds the attributes of a <c>job.created</c> entry for a request: type, correlation, and the creation options that were set.</summary>
    internal static EventAttributes Attributes(JobPlan plan, CreateJobRequest request)
    {
        if (request.Correlation.Count == 0 && request.Priority == 0 && request.RunAt is null && request.ReplayOf is null
            && request.DedupeKey is null && request.Batch is null && request.ParentJobId is null)
        {
            return plan.TypeOnlyCreatedAttributes;
        }

        JobType jobType = plan.JobType;
        List<KeyValuePair<string, string>> pairs = [.. request.Correlation, KeyValuePair.Create(ReservedAttributes.JobType, jobType.Value)];
        if (request.Priority != 0)
        {
            pairs.Add(KeyValuePair.Create(ReservedAttributes.Priority, request.Priority.ToString(CultureInfo.InvariantCulture)));
        }

        if (request.RunAt is { } runAt)
        {
            pairs.Add(KeyValuePair.Create(ReservedAttributes.RunAt, runAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        }

        if (request.ReplayOf is { } replayOf)
        {
            pairs.Add(KeyValuePair.Create(ReservedAttributes.ReplayOf, replayOf.Value));
        }

        if (request.DedupeKey is { } dedupeKey)
        {
            pairs.Add(KeyValuePair.Create(ReservedAttributes.DedupeKey, dedupeKey));
        }

        if (request.Batch is { } batch)
        {
            pairs.Add(KeyValuePair.Create(ReservedAttributes.Batch, batch.Value));
        }

        if (request.ParentJobId is { } parent)
        {
            pairs.Add(KeyValuePair.Create(ReservedAttributes.Parent, parent.Value));
        }

        return EventAttributes.CreateTrusted(pairs);
    }

    /// <summary>The correlation values of a <c>job.created</c> entry's attributes: those outside the reserved <c>job.</c> namespace.</summary>
    internal static EventAttributes CorrelationOf(EventAttributes attributes)
    {
        foreach (KeyValuePair<string, string> pair in attributes.AsSpan())
        {
            if (IsReserved(pair))
            {
                return EventAttributes.CreateTrusted(attributes.Where(static p => !IsReserved(p)));
            }
        }

        return attributes;
    }

    /// <summary>Reads an integer creation option (such as <see cref="ReservedAttributes.Priority"/>); the default when absent.</summary>
    internal static int ReadInt(JobEventLogEntry created, string key) =>
        !created.Attributes.TryGetValue(key, out string? text) ? 0
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value
        : throw new JobJournalCorruptionException(created.JobId, created.Sequence, $"{key} '{text}' is not an integer.");

    /// <summary>Reads a time creation option (such as <see cref="ReservedAttributes.RunAt"/>); null when absent.</summary>
    internal static DateTimeOffset? ReadTime(JobEventLogEntry created, string key) =>
        !created.Attributes.TryGetValue(key, out string? text) ? null
        : TryParseTime(text, out DateTimeOffset value) ? value
        : throw new JobJournalCorruptionException(created.JobId, created.Sequence, $"{key} '{text}' is not a time.");

    /// <summary>Reads a job-id creation option (such as <see cref="ReservedAttributes.ReplayOf"/>); null when absent.</summary>
    internal static JobId? ReadJobId(JobEventLogEntry created, string key) =>
        !created.Attributes.TryGetValue(key, out string? text) ? null
        : JobId.TryParse(text, out JobId value) ? value
        : throw new JobJournalCorruptionException(created.JobId, created.Sequence, $"{key} '{text}' is not a job id.");

    /// <summary>Reads a text creation option (such as <see cref="ReservedAttributes.DedupeKey"/>); null when absent.</summary>
    internal static string? ReadText(JobEventLogEntry created, string key) =>
        created.Attributes.TryGetValue(key, out string? text) ? text : null;

    /// <summary>Reads the batch a job was created for; null when it was not.</summary>
    internal static BatchId? ReadBatchId(JobEventLogEntry created) =>
        !created.Attributes.TryGetValue(ReservedAttributes.Batch, out string? text) ? null
        : BatchId.TryParse(text, out BatchId value) ? value
        : throw new JobJournalCorruptionException(created.JobId, created.Sequence, $"{ReservedAttributes.Batch} '{text}' is not a batch id.");

    private static bool IsReserved(KeyValuePair<string, string> pair) => pair.Key.StartsWith(EventAttributes.ReservedPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Reads a time the engine wrote in a reserved attribute (round-trip "O" format, UTC). The exact "O" parse is
    /// the runtime's fast path, several times cheaper than the general parser, and the projector reads a lease time
    /// for every attempt; any other ISO 8601 text is still accepted.
    /// </summary>
    internal static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out time)
        || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out time);
}
