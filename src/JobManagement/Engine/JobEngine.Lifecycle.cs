using System.Diagnostics;

namespace JobManagement;

/// <summary>Job lifecycle: commands on one job, finding a job by its creating request, and adopting earlier events.</summary>
public sealed partial class JobEngine
{
    private async ValueTask<JobCommandResult> CommandAsync(JobId jobId, EventId? requestId, EventTypeId type, EventAttributes attributes, CancellationToken cancellationToken)
    {
        JobCommandResult result = await CommandCoreAsync(jobId, requestId, type, attributes, cancellationToken).ConfigureAwait(false);
        await NotifyParentsAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async ValueTask<JobCommandResult> CommandCoreAsync(JobId jobId, EventId? requestId, EventTypeId type, EventAttributes attributes, CancellationToken cancellationToken)
    {
        ThrowIfNotAJob(jobId);
        if (requestId is { IsDefault: true })
        {
            throw new ArgumentException("requestId must not be default (use null for a new one).", nameof(requestId));
        }

        EventId eventId = requestId ?? _ids.NewEventId();
        foreach (JobEventLogEntry recorded in await _journal.FindByEventIdAsync(eventId, cancellationToken).ConfigureAwait(false))
        {
            if (recorded.JobId != jobId || recorded.EventType != type)
            {
                throw new ArgumentException($"requestId '{eventId}' was already used by a {recorded.EventType} entry of stream '{recorded.JobId}'.", nameof(requestId));
            }

            JobState current = (await _streams.GetCurrentAsync(jobId, cancellationToken).ConfigureAwait(false))!;
            return new JobCommandResult(IngestStatus.Duplicate, current);
        }

        using Activity? activity = JobEngineTelemetry.StartCommand(jobId, type);
        using (await _streams.LockAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            JobSlot slot = await _streams.GetForWriteAsync(jobId, cancellationToken).ConfigureAwait(false)
                ?? throw new JobNotFoundException(jobId);
            NewJobEvent command = EventContent.Execution(eventId, type, _time.GetUtcNow(), attributes, observability: JobEngineTelemetry.Capture(EventObservability.None));
            StreamAppend append = await _streams.AppendAsync(slot, command, cancellationToken).ConfigureAwait(false);
            JobIngestOutcome outcome = ToOutcome(append, 0, eventId);
            return new JobCommandResult(outcome.Status == IngestStatus.Unmatched ? IngestStatus.RecordedOnly : outcome.Status, append.Slot.State);
        }
    }

    /// <summary>Finds the job an earlier request with this id created; null when the id is new. Throws when another kind of entry holds the id.</summary>
    private async ValueTask<JobCreationResult?> FindCreatedByAsync(EventId requestId, CancellationToken cancellationToken)
    {
        IReadOnlyList<JobEventLogEntry> recorded = await _journal.FindByEventIdAsync(requestId, cancellationToken).ConfigureAwait(false);
        if (recorded.Count == 0)
        {
            return null;
        }

        JobEventLogEntry original = recorded[0];
        if (original.EventType != ExecutionEventTypes.Created)
        {
            throw RequestIdUsed(requestId, original.EventType, original.JobId);
        }

        return await CreatedEarlierAsync(original.JobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The refusal of a creation request whose id is already the id of an entry other than a <c>job.created</c>.</summary>
    private static InvalidJobRequestException RequestIdUsed(EventId requestId, EventTypeId existingType, JobId existingStream) =>
        new("request", nameof(CreateJobRequest.RequestId), $"RequestId '{requestId}' was already used by a {existingType} entry of stream '{existingStream}'.");

    /// <summary>The answer to a retried creation request: the job it created earlier, as a duplicate.</summary>
    private async ValueTask<JobCreationResult> CreatedEarlierAsync(JobId jobId, CancellationToken cancellationToken)
    {
        JobState state = (await _streams.GetCurrentAsync(jobId, cancellationToken).ConfigureAwait(false))!;
        return new JobCreationResult(jobId, isDuplicate: true, state);
    }

    /// <summary>
    /// Appends to a new job's stream the events recorded before it existed that concern it: those
    /// addressed to its id, and those routed by correlation (anywhere) that match its plan. Each
    /// keeps its original event id, time, attributes and payload. Caller holds the job's lock.
    /// </summary>
    private async ValueTask<(JobSlot Slot, int Adopted)> AdoptAsync(JobSlot slot, bool generatedId, CancellationToken cancellationToken)
    {
        JobPlan plan = slot.Plan;
        EventAttributes correlation = slot.Correlation;
        HashSet<EventId>? seen = null; // made when the first event is found: most jobs adopt nothing
        List<JobEventLogEntry>? found = null;
        if (!generatedId)
        {
            // Only a caller-chosen id can have been addressed before the job existed: a fresh UUIDv7 was never seen.
            RecordedEventLookup addressed = new(null, ReservedAttributes.TargetJob, slot.JobId.Value);
            await foreach (JobEventLogEntry recorded in _journal.FindRecordedEventsAsync(addressed, cancellationToken).ConfigureAwait(false))
            {
                if (recorded.JobId.IsUnrouted && (seen ??= []).Add(recorded.EventId))
                {
                    (found ??= []).Add(recorded);
                }
            }
        }

        foreach (EventMatcher matcher in plan.Matchers)
        {
            if (AdoptionLookup(matcher, correlation) is not { } lookup)
            {
                continue;
            }

            await foreach (JobEventLogEntry recorded in _journal.FindRecordedEventsAsync(lookup, cancellationToken).ConfigureAwait(false))
            {
                if (recorded.JobId != slot.JobId
                    && !recorded.Attributes.ContainsKey(ReservedAttributes.TargetJob)
                    && matcher.Matches(recorded, correlation)
                    && (seen ??= []).Add(recorded.EventId))
                {
                    (found ??= []).Add(recorded);
                }
            }
        }

        if (found is null)
        {
            return (slot, 0);
        }

        found.Sort(static (a, b) => a.Position.CompareTo(b.Position));
        StreamAppend append = await _streams.AppendAsync(slot, AdoptionsOf(found, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        LogTransitions(append.Slot, append.TransitionsBefore);
        return (append.Slot, CountAppended(append.Result));
    }

    /// <summary>The adoption entries of the events found (apart from the async method: a lambda capturing a local there made its closure on every creation).</summary>
    private static NewJobEvent[] AdoptionsOf(List<JobEventLogEntry> found, DateTimeOffset now)
    {
        var adoptions = new NewJobEvent[found.Count];
        for (int i = 0; i < adoptions.Length; i++)
        {
            adoptions[i] = EventContent.Adopt(found[i], now);
        }

        return adoptions;
    }

    private static int CountAppended(AppendResult result)
    {
        int appended = 0;
        for (int i = 0; i < result.Count; i++)
        {
            appended += result[i].IsDuplicate ? 0 : 1;
        }

        return appended;
    }

    private static RecordedEventLookup? AdoptionLookup(EventMatcher matcher, EventAttributes correlation)
    {
        AttributeEqualsPredicate? equality = matcher.Where.CorrelationEqualities().FirstOrDefault();
        if (equality is null)
        {
            return new RecordedEventLookup(matcher.EventType);
        }

        return correlation.TryGetValue(equality.Operand.Value, out string? value)
            ? new RecordedEventLookup(matcher.EventType, equality.AttributeKey, value)
            : null;
    }
}
