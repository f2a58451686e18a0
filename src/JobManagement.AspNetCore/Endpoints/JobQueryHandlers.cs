using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace JobManagement.AspNetCore;

/// <summary>The endpoints that read: a job's state and history, the job list, dead letters, counts.</summary>
internal static class JobQueryHandlers
{
    private const int DefaultHistoryPage = 100;

    public static async Task<IResult> GetStateAsync(string id, JobEngine engine, CancellationToken cancellationToken)
    {
        JobId jobId = RequestValues.JobId(id, "id");
        JobState? state = await engine.GetStateAsync(jobId, cancellationToken).ConfigureAwait(false);
        return state is null ? JobProblems.NotFound(jobId) : JobResults.Json(state);
    }

    public static async Task<IResult> GetHistoryAsync(string id, string? from, string? limit, JobEngine engine, IJobEventJournal journal, IOptions<JobEndpointsOptions> options, CancellationToken cancellationToken)
    {
        JobId jobId = RequestValues.JobId(id, "id");
        long fromSequence = Number(from, "from", 1, long.MaxValue) ?? 1;
        int max = options.Value.MaxHistoryPageSize;
        int count = (int)(Number(limit, "limit", 1, max) ?? Math.Min(DefaultHistoryPage, max));
        long version = await journal.GetStreamVersionAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (version == 0)
        {
            return JobProblems.NotFound(jobId);
        }

        IReadOnlyList<JobEventLogEntry> entries = await engine.GetHistoryAsync(jobId, fromSequence, count, cancellationToken).ConfigureAwait(false);
        long? next = entries.Count == count && entries[^1].Sequence < version ? entries[^1].Sequence + 1 : null;
        return JobResults.Json(new JobHistoryPage(jobId, entries, next));
    }

    public static async Task<IResult> ListAsync(HttpRequest request, JobIndex index, CancellationToken cancellationToken)
    {
        IQueryCollection query = request.Query;
        var indexQuery = new JobIndexQuery
        {
            JobType = RequestValues.OptionalJobType(Single(query, "type"), "type"),
            Status = RequestValues.OptionalStatus(Single(query, "status"), "status"),
            BatchId = RequestValues.OptionalBatchId(Single(query, "batch"), "batch"),
            CreatedFrom = Time(Single(query, "createdFrom"), "createdFrom"),
            CreatedTo = Time(Single(query, "createdTo"), "createdTo"),
            Cursor = Single(query, "cursor"),
            Limit = (int)(Number(Single(query, "limit"), "limit", 1, JobIndex.MaxPageSize) ?? JobIndexQuery.DefaultLimit),
        };

        return JobResults.Json(await index.QueryAsync(indexQuery, cancellationToken).ConfigureAwait(false));
    }

    public static async Task<IResult> ListDeadLettersAsync(string? type, string? limit, JobEngine engine, IOptions<JobEndpointsOptions> options, CancellationToken cancellationToken)
    {
        JobType? jobType = RequestValues.OptionalJobType(type, "type");
        if (jobType is { } known && !engine.Plans.TryGet(known, out _))
        {
            throw new RequestFieldException("type", $"No plan is registered for job type '{known}'.");
        }

        int max = options.Value.MaxDeadLetters;
        int count = (int)(Number(limit, "limit", 1, max) ?? Math.Min(100, max));
        IReadOnlyList<JobState> states = await engine.ListDeadLettersAsync(jobType, count, cancellationToken).ConfigureAwait(false);
        return JobResults.Json(states.Select(static s => new DeadLetterSummary(s.JobId, s.JobType, s.CompletedAt, s.Attempts.Length, s.Failure)).ToList());
    }

    public static async Task<IResult> SummaryAsync(string? type, JobIndex index, CancellationToken cancellationToken)
    {
        JobType? jobType = RequestValues.OptionalJobType(type, "type");
        return JobResults.Json(await index.CountAsync(jobType, cancellationToken).ConfigureAwait(false));
    }

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? values.Count == 1 ? values[0] : throw new RequestFieldException(name, $"{name} may be given once.") : null;

    private static long? Number(string? text, string field, long min, long max) =>
        text is null ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max ? value
        : throw new RequestFieldException(field, $"{field} must be a whole number from {min} to {max}.");

    private static DateTimeOffset? Time(string? text, string field) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value) ? value
        : throw new RequestFieldException(field, $"'{text}' is not a time (use ISO 8601, such as 2026-01-31T12:00:00Z).");
}
