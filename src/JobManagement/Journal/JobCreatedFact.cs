using System.Diagnostics.CodeAnalysis;

namespace JobManagement;

/// <summary>
/// Reads and writes the shape of a <c>job.created</c> entry: the job type in the reserved
/// <c>job.type</c> attribute, the job's correlation values in the other attributes, and the
/// job's input as the payload. Journals use it to maintain their job index.
/// </summary>
public static class JobCreatedFact
{
    /// <summary>Reads the job type and correlation values from a <c>job.created</c> entry.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="jobType">The job type.</param>
    /// <param name="correlation">The correlation values.</param>
    /// <returns>False when the entry is not a well-formed <c>job.created</c> entry.</returns>
    public static bool TryRead(JobEventLogEntry entry, out JobType jobType, [NotNullWhen(true)] out EventAttributes? correlation)
    {
        ArgumentNullException.ThrowIfNull(entry);
        jobType = default;
        correlation = null;
        if (entry.EventType != ExecutionEventTypes.Created
            || !entry.Attributes.TryGetValue(ReservedAttributes.JobType, out string? typeText)
            || !JobType.TryParse(typeText, out jobType))
        {
            return false;
        }

        correlation = EventAttributes.CreateTrusted(entry.Attributes.Where(static pair => pair.Key != ReservedAttributes.JobType));
        return true;
    }

    /// <summary>Builds the attributes of a <c>job.created</c> entry.</summary>
    internal static EventAttributes Attributes(JobType jobType, EventAttributes correlation) =>
        EventAttributes.CreateTrusted(correlation.Append(KeyValuePair.Create(ReservedAttributes.JobType, jobType.Value)));
}
