using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace JobManagement;

/// <summary>
/// Writes and reads the attempt facts of the execution lane, so the writer (the worker) and the
/// reader (the projector) agree on one shape: attributes for what routing and listing need,
/// the payload for results and failures. Times are ISO 8601 in UTC, numbers invariant.
/// </summary>
internal static class ExecutionFacts
{
    public static NewJobEvent AttemptStarted(EventId eventId, int attempt, string worker, DateTimeOffset leaseUntil, DateTimeOffset now) =>
        EventContent.Execution(eventId, ExecutionEventTypes.AttemptStarted, now, Attributes(
            (ReservedAttributes.Attempt, Number(attempt)), (ReservedAttributes.LeaseUntil, Time(leaseUntil)), (ReservedAttributes.Worker, worker)));

    public static NewJobEvent LeaseRenewed(EventId eventId, int attempt, DateTimeOffset leaseUntil, DateTimeOffset now) =>
        EventContent.Execution(eventId, ExecutionEventTypes.AttemptLeaseRenewed, now, Attributes(
            (ReservedAttributes.Attempt, Number(attempt)), (ReservedAttributes.LeaseUntil, Time(leaseUntil))));

    public static NewJobEvent AttemptSucceeded(EventId eventId, int attempt, JsonElement? result, DateTimeOffset now) =>
        EventContent.Execution(eventId, ExecutionEventTypes.AttemptSucceeded, now, AttemptOnly(attempt), result);

    public static NewJobEvent AttemptFailed(EventId eventId, int attempt, ExecutionFailure failure, DateTimeOffset? retryAt, DateTimeOffset now) =>
        EventContent.Execution(
            eventId,
            ExecutionEventTypes.AttemptFailed,
            now,
            retryAt is { } at
                ? Attributes((ReservedAttributes.Attempt, Number(attempt)), (ReservedAttributes.RetryAt, Time(at)))
                : AttemptOnly(attempt),
            JsonSerializer.SerializeToElement(failure, JobManagementJson.Options));

    public static NewJobEvent AttemptInterrupted(EventId eventId, int attempt, DateTimeOffset now) =>
        EventContent.Execution(eventId, ExecutionEventTypes.AttemptInterrupted, now, AttemptOnly(attempt));

    public static NewJobEvent CompensationStarted(EventId eventId, int run, string worker, DateTimeOffset leaseUntil, DateTimeOffset now) =>
        EventContent.Execution(eventId, ExecutionEventTypes.CompensationStarted, now, Attributes(
            (ReservedAttributes.Attempt, Number(run)), (ReservedAttributes.LeaseUntil, Time(leaseUntil)), (ReservedAttributes.Worker, worker)));

    public static NewJobEvent CompensationLeaseRenewed(EventId eventId, int run, DateTimeOffset leaseUntil, DateTimeOffset now) =>
        EventContent.Execution(eventId, ExecutionEventTypes.CompensationLeaseRenewed, now, Attributes(
            (ReservedAttributes.Attempt, Number(run)), (ReservedAttributes.LeaseUntil, Time(leaseUntil))));

    public static NewJobEvent CompensationEnded(EventId eventId, int run, bool completed, string? detail, DateTimeOffset now) =>
        EventContent.Execution(
            eventId,
            completed ? ExecutionEventTypes.CompensationCompleted : ExecutionEventTypes.CompensationFailed,
            now,
            detail is null ? AttemptOnly(run) : Attributes((ReservedAttributes.Attempt, Number(run)), (ReservedAttributes.Reason, detail)));

    public static NewJobEvent Progress(EventId eventId, double fraction, string? message, DateTimeOffset now) =>
        EventContent.Execution(eventId, ExecutionEventTypes.Progress, now, message is null
            ? Attributes((ReservedAttributes.ProgressFraction, fraction.ToString("R", CultureInfo.InvariantCulture)))
            : Attributes((ReservedAttributes.ProgressFraction, fraction.ToString("R", CultureInfo.InvariantCulture)), (ReservedAttributes.Reason, message)));

    public static int ReadAttempt(JobEventLogEntry entry) =>
        entry.Attributes.TryGetValue(ReservedAttributes.Attempt, out string? text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int attempt) && attempt > 0
            ? attempt
            : throw Corrupt(entry, $"{entry.EventType} has no valid {ReservedAttributes.Attempt} attribute");

    public static DateTimeOffset? ReadTime(JobEventLogEntry entry, string key) =>
        !entry.Attributes.TryGetValue(key, out string? text) ? null
        : JobCreatedFact.TryParseTime(text, out DateTimeOffset time) ? time
        : throw Corrupt(entry, $"{key} '{text}' is not a time");

    public static double ReadFraction(JobEventLogEntry entry) =>
        entry.Attributes.TryGetValue(ReservedAttributes.ProgressFraction, out string? text)
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double fraction) && fraction is >= 0 and <= 1
            ? fraction
            : throw Corrupt(entry, $"{ReservedAttributes.ProgressFraction} is not a fraction from 0 to 1");

    public static ExecutionFailure ReadFailure(JobEventLogEntry entry)
    {
        try
        {
            return entry.Payload is { } payload ? payload.Deserialize<ExecutionFailure>(JobManagementJson.Options) ?? throw Corrupt(entry, "the failure is null")
                : throw Corrupt(entry, "the failure is missing");
        }
        catch (JsonException exception)
        {
            throw Corrupt(entry, $"the failure cannot be read: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// The attributes naming only an attempt (or run) number: one shared, immutable set per number up to
    /// <see cref="SharedAttemptSets"/>. Every attempt's outcome carries one, and a journal keeps each entry's set
    /// for as long as it keeps the entry: a set shared costs the collector nothing to keep.
    /// </summary>
    private static EventAttributes AttemptOnly(int attempt) =>
        attempt is > 0 and <= SharedAttemptSets ? AttemptSets[attempt - 1] : Attributes((ReservedAttributes.Attempt, Number(attempt)));

    private const int SharedAttemptSets = 32;

    private static readonly ImmutableArray<EventAttributes> AttemptSets =
        [.. Enumerable.Range(1, SharedAttemptSets).Select(static n => Attributes((ReservedAttributes.Attempt, Number(n))))];

    /// <summary>An engine fact's attributes: reserved keys, given in ordinal order (every factory here passes them so).</summary>
    private static EventAttributes Attributes(params ReadOnlySpan<(string Key, string Value)> pairs)
    {
        // Straight into the set's own array: an attempt writes three of these, and LINQ over a params array cost two more allocations each.
        var items = new KeyValuePair<string, string>[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            items[i] = KeyValuePair.Create(pairs[i].Key, pairs[i].Value);
        }

        return EventAttributes.CreateEngineOwning(items);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static JobJournalCorruptionException Corrupt(JobEventLogEntry entry, string problem, Exception? inner = null) =>
        new(entry.JobId, entry.Sequence, problem, inner);
}
