using System.Text;
using System.Text.Json;

namespace JobManagement;

/// <summary>Checks what callers hand the engine, before anything is decided or appended.</summary>
internal static class InputValidator
{
    /// <summary>Returns the field at fault and why, or null when the event is acceptable.</summary>
    public static (string Field, string Reason)? Check(IncomingEvent incoming, JobEngineOptions options)
    {
        if (incoming.EventId.IsDefault)
        {
            return (nameof(IncomingEvent.EventId), "EventId is required (default(EventId) is not valid).");
        }

        if (incoming.Type.IsDefault)
        {
            return (nameof(IncomingEvent.Type), "Type is required (default(EventTypeId) is not valid).");
        }

        if (incoming.Type.IsExecution)
        {
            return (nameof(IncomingEvent.Type), $"Type '{incoming.Type}' is in the reserved execution namespace '{EventTypeId.ExecutionNamespace}'; only the engine writes execution facts.");
        }

        if (incoming.OccurredAt == default)
        {
            return (nameof(IncomingEvent.OccurredAt), "OccurredAt is required.");
        }

        if (incoming.JobId is { } jobId && (jobId.IsDefault || jobId.IsReservedStream))
        {
            return (nameof(IncomingEvent.JobId), "JobId must be a real job's id (or null to route by correlation).");
        }

        if (incoming.TaskId is { IsDefault: true })
        {
            return (nameof(IncomingEvent.TaskId), "TaskId must not be default (use null for none).");
        }

        return CheckAttributes(incoming.Attributes, nameof(IncomingEvent.Attributes))
            ?? CheckPayload(incoming.Payload, nameof(IncomingEvent.Payload), options)
            ?? CheckObservability(incoming.Observability);
    }

    /// <summary>Validates a creation request; throws <see cref="InvalidJobRequestException"/> naming the field (under <paramref name="parameter"/>, such as <c>jobs[3]</c>).</summary>
    public static void Check(CreateJobRequest request, JobPlan plan, JobEngineOptions options, string parameter = "request")
    {
        if (request.RequestId.IsDefault)
        {
            throw new InvalidJobRequestException(parameter, nameof(CreateJobRequest.RequestId), "RequestId is required (default(EventId) is not valid).");
        }

        if (request.JobId is { } jobId && (jobId.IsDefault || jobId.IsReservedStream))
        {
            throw new InvalidJobRequestException(parameter, nameof(CreateJobRequest.JobId), "JobId must be a valid job id (or null for a new one).");
        }

        if (request.RunAfter is { } runAfter && (runAfter < TimeSpan.Zero || runAfter > TimeSpan.FromDays(3650) || request.RunAt is not null))
        {
            throw new InvalidJobRequestException("request", nameof(CreateJobRequest.RunAfter), request.RunAt is not null
                ? "Set RunAt or RunAfter, not both."
                : $"RunAfter must be between zero and 3650 days (was {runAfter}).");
        }

        if (request.ReplayOf is { } replayOf && (replayOf.IsDefault || replayOf.IsReservedStream))
        {
            throw new InvalidJobRequestException(parameter, nameof(CreateJobRequest.ReplayOf), "ReplayOf must be a valid job id (or null).");
        }

        if (request.ParentJobId is { } parent && (parent.IsDefault || parent.IsReservedStream || parent == request.JobId))
        {
            throw new InvalidJobRequestException(parameter, nameof(CreateJobRequest.ParentJobId), "ParentJobId must be another job's id (or null).");
        }

        if (request.DedupeKey is { } dedupeKey && CheckDedupeKey(dedupeKey) is { } dedupeProblem)
        {
            throw new InvalidJobRequestException(parameter, nameof(CreateJobRequest.DedupeKey), dedupeProblem);
        }

        if ((CheckAttributes(request.Correlation, nameof(CreateJobRequest.Correlation))
            ?? CheckPayload(request.Input, nameof(CreateJobRequest.Input), options)
            ?? CheckObservability(request.Observability)) is { } problem)
        {
            throw new InvalidJobRequestException(parameter, problem.Field, problem.Reason);
        }

        // A loop, not a filter with a lambda: every creation comes here, and most plans correlate on nothing.
        List<string>? missing = null;
        foreach (string key in plan.CorrelationKeys)
        {
            if (!request.Correlation.ContainsKey(key))
            {
                (missing ??= []).Add(key);
            }
        }

        if (missing is not null)
        {
            throw new InvalidJobRequestException(parameter, nameof(CreateJobRequest.Correlation), $"Correlation is missing {string.Join(", ", missing.Select(static k => $"'{k}'"))}, which the plan for '{plan.JobType}' correlates on.");
        }
    }

    private static string? CheckDedupeKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return "DedupeKey must not be empty or whitespace (use null for none).";
        }

        if (key.Length > EventAttributes.MaxValueLength)
        {
            return $"DedupeKey is {key.Length} characters; at most {EventAttributes.MaxValueLength} are allowed.";
        }

        return key.Any(char.IsControl) ? "DedupeKey must not contain control characters." : null;
    }

    /// <summary>Validates an abort reason or compensation detail; throws naming the parameter.</summary>
    public static void CheckReason(string? reason, string paramName, bool required, JobEngineOptions options)
    {
        if (required && string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException($"{paramName} is required.", paramName);
        }

        if (reason is { Length: var length } && length > options.MaxReasonLength)
        {
            throw new ArgumentException($"{paramName} is {length} characters; at most {options.MaxReasonLength} are allowed.", paramName);
        }
    }

    private static (string Field, string Reason)? CheckAttributes(EventAttributes? attributes, string field)
    {
        if (attributes is null)
        {
            return (field, $"{field} must not be null (use EventAttributes.Empty).");
        }

        foreach (KeyValuePair<string, string> pair in attributes.AsSpan())
        {
            if (pair.Key.StartsWith(EventAttributes.ReservedPrefix, StringComparison.Ordinal))
            {
                return (field, $"{field} key '{pair.Key}' uses the reserved prefix '{EventAttributes.ReservedPrefix}'.");
            }
        }

        return null;
    }

    private static (string Field, string Reason)? CheckPayload(JsonElement? payload, string field, JobEngineOptions options)
    {
        if (payload is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return (field, $"{field} is an undefined JSON element (use null for none).");
        }

        int bytes = Encoding.UTF8.GetByteCount(value.GetRawText());
        return bytes > options.MaxPayloadBytes
            ? (field, $"{field} is {bytes} bytes; at most {options.MaxPayloadBytes} are allowed (JobEngineOptions.MaxPayloadBytes).")
            : null;
    }

    private static (string Field, string Reason)? CheckObservability(EventObservability? observability) =>
        observability is null
            ? ("Observability", "Observability must not be null (use EventObservability.None).")
            : observability.Validate() is { } problem ? ("Observability", problem + ".") : null;
}
