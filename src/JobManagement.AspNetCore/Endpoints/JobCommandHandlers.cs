using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace JobManagement.AspNetCore;

/// <summary>The endpoints that write: create, ingest, abort, replay. Each validates the whole request before the engine appends anything.</summary>
internal static class JobCommandHandlers
{
    public static async Task<IResult> CreateAsync(HttpContext http, JobEngine engine, IOptions<JobEndpointsOptions> options, CancellationToken cancellationToken)
    {
        CreateJobBody body = await RequestBody.ReadAsync<CreateJobBody>(http, options.Value.MaxRequestBodyBytes, null, cancellationToken).ConfigureAwait(false);
        var request = new CreateJobRequest
        {
            JobType = RequestValues.JobType(body.JobType, "jobType"),
            RequestId = RequestValues.OptionalEventId(body.RequestId, "requestId") ?? EventId.New(),
            JobId = RequestValues.OptionalJobId(body.JobId, "jobId"),
            Correlation = RequestValues.Attributes(body.Correlation, "correlation"),
            Input = body.Input,
            Priority = body.Priority,
            RunAt = body.RunAt,
            DedupeKey = body.DedupeKey,
            ParentJobId = RequestValues.OptionalJobId(body.ParentJobId, "parentJobId"),
            Start = body.Start ?? true,
        };

        JobCreationResult result = await engine.CreateJobAsync(request, cancellationToken).ConfigureAwait(false);
        return Created(http, result);
    }

    public static async Task<IResult> IngestAsync(HttpContext http, JobEngine engine, IOptions<JobEndpointsOptions> options, CancellationToken cancellationToken)
    {
        IngestEventBody body = await RequestBody.ReadAsync<IngestEventBody>(http, options.Value.MaxRequestBodyBytes, null, cancellationToken).ConfigureAwait(false);
        var incoming = new IncomingEvent
        {
            EventId = RequestValues.EventId(body.EventId, "eventId"),
            Type = RequestValues.EventType(body.Type, "type"),
            OccurredAt = body.OccurredAt ?? throw new RequestFieldException("occurredAt", "occurredAt is required."),
            JobId = RequestValues.OptionalJobId(body.JobId, "jobId"),
            TaskId = RequestValues.OptionalTaskId(body.TaskId, "taskId"),
            Attributes = RequestValues.Attributes(body.Attributes, "attributes"),
            Payload = body.Payload,
            Observability = body.Observability ?? EventObservability.None,
        };

        IngestResult result = await engine.IngestAsync(incoming, cancellationToken).ConfigureAwait(false);
        if (result.IsRejected)
        {
            JobIngestOutcome rejected = result.Outcomes[0];
            return JobProblems.Invalid(FieldNames.Json(rejected.Field), rejected.Reason ?? "Rejected.");
        }

        return JobResults.Json(new IngestEventResponse(result.EventId, result.IsDuplicate, result.Outcomes));
    }

    public static async Task<IResult> AbortAsync(string id, HttpContext http, JobEngine engine, IOptions<JobEndpointsOptions> options, CancellationToken cancellationToken)
    {
        JobId jobId = RequestValues.JobId(id, "id");
        AbortJobBody body = await RequestBody.ReadAsync<AbortJobBody>(http, options.Value.MaxRequestBodyBytes, null, cancellationToken).ConfigureAwait(false);
        string reason = RequestValues.Required(body.Reason, "reason");
        EventId? requestId = RequestValues.OptionalEventId(body.RequestId, "requestId");
        JobCommandResult result = await engine.AbortAsync(jobId, reason, requestId, cancellationToken).ConfigureAwait(false);
        return JobResults.Json(result);
    }

    public static async Task<IResult> ReplayAsync(string id, HttpContext http, JobEngine engine, IOptions<JobEndpointsOptions> options, CancellationToken cancellationToken)
    {
        JobId jobId = RequestValues.JobId(id, "id");
        ReplayJobBody body = await RequestBody.ReadAsync(http, options.Value.MaxRequestBodyBytes, new ReplayJobBody(), cancellationToken).ConfigureAwait(false);
        EventId? requestId = RequestValues.OptionalEventId(body.RequestId, "requestId");
        JobCreationResult result = await engine.ReplayAsync(jobId, requestId, cancellationToken).ConfigureAwait(false);
        return Created(http, result, http.Request.PathBase + JobsPath(http.Request.Path.Value!) + "/" + Uri.EscapeDataString(result.JobId.Value));
    }

    /// <summary>201 with the job's address for a new job; 200 when the request was a duplicate or deduplicated.</summary>
    private static IResult Created(HttpContext http, JobCreationResult result, string? location = null)
    {
        var response = new JobCreatedResponse(result.JobId, result.IsDuplicate, result.IsDeduplicated, result.State);
        if (result.IsDuplicate || result.IsDeduplicated)
        {
            return JobResults.Json(response);
        }

        http.Response.Headers.Location = location ?? $"{http.Request.PathBase}{http.Request.Path}/{Uri.EscapeDataString(result.JobId.Value)}";
        return JobResults.Json(response, StatusCodes.Status201Created);
    }

    /// <summary>The <c>{prefix}/jobs</c> part of <c>{prefix}/jobs/{id}/replay</c>.</summary>
    private static string JobsPath(string replayPath) =>
        replayPath[..replayPath.LastIndexOf('/', replayPath.LastIndexOf('/') - 1)];
}
