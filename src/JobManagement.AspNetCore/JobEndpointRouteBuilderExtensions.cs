using JobManagement;
using JobManagement.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the job endpoints (see docs/web.md).</summary>
public static class JobEndpointRouteBuilderExtensions
{
    /// <summary>The OpenAPI tag of every job endpoint.</summary>
    public const string Tag = "Jobs";

    /// <summary>
    /// Maps the job endpoints under <paramref name="prefix"/>: create a job, ingest an event, a job's
    /// state, history and server-sent state changes, abort, replay, the job list, dead letters and
    /// counts by status. Errors are RFC 9457 problem details; request bodies are bounded by
    /// <see cref="JobEndpointsOptions.MaxRequestBodyBytes"/>. Needs <c>services.AddJobEndpoints()</c>.
    /// </summary>
    /// <remarks>
    /// Local only by default: unless the returned group is given <c>.RequireAuthorization(…)</c> (or
    /// <see cref="JobEndpointsOptions.AuthorizationPolicy"/> is set), a request from anywhere but a
    /// loopback address is answered 403. A browser's POST must be same-origin and carry the dashboard's
    /// token, or it is answered 403 (see <see cref="JobEndpointsOptions.ProtectAgainstCrossSiteRequests"/>).
    /// Map them once per application (endpoint names are unique).
    /// </remarks>
    /// <param name="endpoints">The application or a route group.</param>
    /// <param name="prefix">The route prefix, such as <c>/api</c>: endpoints are <c>{prefix}/jobs</c>, <c>{prefix}/events</c>, …</param>
    /// <returns>The route group, for more conventions (authorization, rate limiting, CORS).</returns>
    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        JobEndpointsOptions options = endpoints.ServiceProvider.GetService<IOptions<JobEndpointsOptions>>()?.Value
            ?? throw new InvalidOperationException("Call services.AddJobEndpoints() before MapJobEndpoints.");

        RouteGroupBuilder group = endpoints.MapGroup(prefix).WithTags(Tag);
        if (options.AuthorizationPolicy is { } policy)
        {
            group.RequireAuthorization(policy);
        }

        group.AddEndpointFilter(LocalOnlyFilter.InvokeAsync);
        group.AddEndpointFilter(CrossSiteFilter.InvokeAsync);
        group.AddEndpointFilter(JobProblems.InvokeAsync);
        group.ProducesProblem(StatusCodes.Status403Forbidden);

        MapCommands(group);
        MapQueries(group);
        return group;
    }

    private static void MapCommands(RouteGroupBuilder group)
    {
        group.MapPost("/jobs", JobCommandHandlers.CreateAsync)
            .WithName("JobManagement.CreateJob")
            .WithSummary("Creates (and by default starts) a job; idempotent on requestId.")
            .Accepts<CreateJobBody>("application/json")
            .Produces<JobCreatedResponse>(StatusCodes.Status201Created)
            .Produces<JobCreatedResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapPost("/events", JobCommandHandlers.IngestAsync)
            .WithName("JobManagement.IngestEvent")
            .WithSummary("Ingests a domain event: addressed to a job, or routed by correlation; idempotent on eventId.")
            .Accepts<IngestEventBody>("application/json")
            .Produces<IngestEventResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapPost("/jobs/{id}/abort", JobCommandHandlers.AbortAsync)
            .WithName("JobManagement.AbortJob")
            .WithSummary("Aborts a job with a reason; a terminal job records the request and stays as it is.")
            .Accepts<AbortJobBody>("application/json")
            .Produces<JobCommandResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPost("/jobs/{id}/replay", JobCommandHandlers.ReplayAsync)
            .WithName("JobManagement.ReplayJob")
            .WithSummary("Replays a dead-lettered job as a new job linked to it.")
            .Accepts<ReplayJobBody>(isOptional: true, "application/json")
            .Produces<JobCreatedResponse>(StatusCodes.Status201Created)
            .Produces<JobCreatedResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static void MapQueries(RouteGroupBuilder group)
    {
        group.MapGet("/jobs/{id}", JobQueryHandlers.GetStateAsync)
            .WithName("JobManagement.GetJob")
            .WithSummary("Gets a job's state: status, expectations, attempts, failure, transitions.")
            .Produces<JobState>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/jobs/{id}/history", JobQueryHandlers.GetHistoryAsync)
            .WithName("JobManagement.GetJobHistory")
            .WithSummary("Gets a page of a job's journal entries, in sequence order (from, limit).")
            .Produces<JobHistoryPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/jobs/{id}/events", JobEventStream.WatchAsync)
            .WithName("JobManagement.WatchJob")
            .WithSummary("Streams a job's states as server-sent events until it is terminal.")
            .Produces<JobState>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/jobs", JobQueryHandlers.ListAsync)
            .WithName("JobManagement.ListJobs")
            .WithSummary("Lists jobs, newest first, filtered by type, status, batch and creation time, a page at a time (cursor, limit).")
            .Produces<JobPage>()
            .ProducesValidationProblem();

        group.MapGet("/dead-letters", JobQueryHandlers.ListDeadLettersAsync)
            .WithName("JobManagement.ListDeadLetters")
            .WithSummary("Lists dead-lettered jobs (their handler's retries ran out), most recent first.")
            .Produces<IReadOnlyList<DeadLetterSummary>>()
            .ProducesValidationProblem();

        group.MapGet("/summary", JobQueryHandlers.SummaryAsync)
            .WithName("JobManagement.GetSummary")
            .WithSummary("Counts jobs by status, for every type or one.")
            .Produces<JobStatusCounts>()
            .ProducesValidationProblem();
    }
}
