using System.Diagnostics.CodeAnalysis;

namespace JobManagement.AspNetCore;

/// <summary>Parses the typed ids and values of a request, naming the field when one is malformed.</summary>
internal static class RequestValues
{
    public static JobId JobId(string? value, string field) =>
        global::JobManagement.JobId.TryParse(value, out JobId id) && !id.IsReservedStream ? id : throw Bad(field, value, "a job id");

    public static JobId? OptionalJobId(string? value, string field) => value is null ? null : JobId(value, field);

    public static EventId EventId(string? value, string field) =>
        global::JobManagement.EventId.TryParse(value, out EventId id) ? id : throw Bad(field, value, "an event id");

    public static EventId? OptionalEventId(string? value, string field) => value is null ? null : EventId(value, field);

    public static JobType JobType(string? value, string field) =>
        global::JobManagement.JobType.TryParse(value, out JobType type) ? type : throw Bad(field, value, "a job type");

    public static JobType? OptionalJobType(string? value, string field) => value is null ? null : JobType(value, field);

    public static EventTypeId EventType(string? value, string field) =>
        EventTypeId.TryParse(value, out EventTypeId type) ? type : throw Bad(field, value, "an event type");

    public static TaskId? OptionalTaskId(string? value, string field) =>
        value is null ? null : TaskId.TryParse(value, out TaskId id) ? id : throw Bad(field, value, "a task id");

    public static BatchId? OptionalBatchId(string? value, string field) =>
        value is null ? null : BatchId.TryParse(value, out BatchId id) ? id : throw Bad(field, value, "a batch id");

    public static JobStatus? OptionalStatus(string? value, string field) =>
        value is null ? null
        : Enum.TryParse(value, ignoreCase: true, out JobStatus status) && Enum.IsDefined(status) && !char.IsAsciiDigit(value[0]) ? status
        : throw new RequestFieldException(field, $"'{value}' is not a job status ({string.Join(", ", Enum.GetNames<JobStatus>())}).");

    public static EventAttributes Attributes(IReadOnlyDictionary<string, string>? pairs, string field)
    {
        if (pairs is null)
        {
            return EventAttributes.Empty;
        }

        try
        {
            return EventAttributes.From(pairs);
        }
        catch (ArgumentException exception)
        {
            throw new RequestFieldException(field, exception.Message);
        }
    }

    [return: NotNull]
    public static T Required<T>(T? value, string field)
        where T : class =>
        value ?? throw new RequestFieldException(field, $"{field} is required.");

    private static RequestFieldException Bad(string field, string? value, string what) =>
        new(field, value is null ? $"{field} is required." : $"'{value}' is not {what}.");
}
