namespace JobManagement;

/// <summary>Argument checks every journal applies the same way, so the conformance suite can hold them to it.</summary>
public static class JournalArguments
{
    /// <summary>Validates the arguments of <c>IJobEventJournal.AppendAsync</c>.</summary>
    /// <param name="jobId">The stream.</param>
    /// <param name="events">The batch.</param>
    /// <exception cref="ArgumentException">An argument is invalid; the message names it.</exception>
    public static void ValidateAppend(JobId jobId, IReadOnlyList<NewJobEvent> events)
    {
        ThrowIfDefault(jobId.IsDefault, nameof(jobId));
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("At least one event is required.", nameof(events));
        }

        // Batches are small; a quadratic scan beats allocating a set on every append.
        for (int i = 0; i < events.Count; i++)
        {
            NewJobEvent? next = events[i];
            if (next is null || next.EventId.IsDefault || next.EventType.IsDefault)
            {
                throw new ArgumentException($"events[{i}] is null or has a default EventId or EventType.", nameof(events));
            }

            for (int j = 0; j < i; j++)
            {
                if (events[j].EventId == next.EventId)
                {
                    throw new ArgumentException($"events[{i}].EventId '{next.EventId}' repeats events[{j}] of the same batch.", nameof(events));
                }
            }
        }
    }

    /// <summary>Validates the arguments of <see cref="IJobEventJournal.ReadStreamAsync"/>.</summary>
    /// <param name="jobId">The stream.</param>
    /// <param name="fromSequence">The first sequence, 1 or more.</param>
    public static void ValidateRead(JobId jobId, long fromSequence)
    {
        ThrowIfDefault(jobId.IsDefault, nameof(jobId));
        ArgumentOutOfRangeException.ThrowIfLessThan(fromSequence, 1);
    }

    /// <summary>Validates a job lookup.</summary>
    /// <param name="lookup">The lookup.</param>
    public static void ValidateLookup(JobLookup lookup)
    {
        ThrowIfDefault(lookup.JobType.IsDefault, "lookup.JobType");
        if ((lookup.CorrelationKey is null) != (lookup.CorrelationValue is null))
        {
            throw new ArgumentException("CorrelationKey and CorrelationValue must be given together.", nameof(lookup));
        }
    }

    /// <summary>Validates a recorded-event lookup.</summary>
    /// <param name="lookup">The lookup.</param>
    public static void ValidateLookup(RecordedEventLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if ((lookup.AttributeKey is null) != (lookup.AttributeValue is null))
        {
            throw new ArgumentException("AttributeKey and AttributeValue must be given together.", nameof(lookup));
        }

        if (lookup.EventType is null && lookup.AttributeKey is null)
        {
            throw new ArgumentException("Give an EventType, an attribute, or both.", nameof(lookup));
        }

        if (lookup.EventType is { IsDefault: true })
        {
            throw new ArgumentException("EventType must not be default.", nameof(lookup));
        }
    }

    /// <summary>Throws when a typed id is <c>default</c>.</summary>
    /// <param name="isDefault">Whether the id is default.</param>
    /// <param name="paramName">The parameter's name.</param>
    public static void ThrowIfDefault(bool isDefault, string paramName)
    {
        if (isDefault)
        {
            throw new ArgumentException($"{paramName} must not be default.", paramName);
        }
    }
}
