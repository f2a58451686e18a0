using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace JobManagement.AspNetCore;

/// <summary>
/// <c>GET {prefix}/jobs/{id}/events</c>: a job's states as server-sent events, from <see cref="JobEngine.WatchAsync"/>.
/// One <c>state</c> event per state (its <c>id</c> is the state's version, its <c>data</c> the state as JSON),
/// the current one first; the stream ends after a terminal state, or when the client goes away.
/// </summary>
internal static class JobEventStream
{
    /// <summary>The SSE event type of each state.</summary>
    public const string EventType = "state";

    public static async Task<IResult> WatchAsync(string id, JobEngine engine, CancellationToken cancellationToken)
    {
        JobId jobId = RequestValues.JobId(id, "id");

        // Answer 404 before the stream starts: once it has, the status can no longer change.
        if (await engine.GetStateAsync(jobId, cancellationToken).ConfigureAwait(false) is null)
        {
            return JobProblems.NotFound(jobId);
        }

        return TypedResults.ServerSentEvents(States(engine, jobId, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<string>> States(JobEngine engine, JobId jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (JobState state in engine.WatchAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(state, JobManagementJson.Options), EventType)
            {
                EventId = state.Version.ToString(CultureInfo.InvariantCulture),
            };
        }
    }
}
