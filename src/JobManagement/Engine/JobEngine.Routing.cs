using System.Collections.Immutable;

namespace JobManagement;

/// <summary>Ingestion: delivering one event to the job it names, or to the jobs its correlation reaches.</summary>
public sealed partial class JobEngine
{
    private async ValueTask<ImmutableArray<JobIngestOutcome>> IngestAddressedAsync(IncomingEvent incoming, JobId jobId, long creations, CancellationToken cancellationToken)
    {
        NewJobEvent entry = EventContent.ToNew(incoming, addressedTo: jobId, _time.GetUtcNow());
        if (await TryDeliverAsync(jobId, entry, incoming, requireMatch: false, cancellationToken).ConfigureAwait(false) is { } delivered)
        {
            return [delivered];
        }

        // The job does not exist yet: keep the event where its creation will find it.
        AppendResult parked = await _journal.AppendAsync(JobId.Unrouted, ExpectedStreamVersion.Any, [entry], cancellationToken).ConfigureAwait(false);
        AppendOutcome outcome = parked.Outcomes[0];
        if (outcome.IsDuplicate)
        {
            return [DuplicateOutcome(null, null, outcome.Entry, outcome.IsConflict, incoming.EventId)];
        }

        if (Volatile.Read(ref _creations) != creations
            && await TryDeliverAsync(jobId, entry, incoming, requireMatch: false, cancellationToken).ConfigureAwait(false) is { } late)
        {
            return [late];
        }

        return [new JobIngestOutcome(jobId, IngestStatus.AwaitingJob, Entry: EntryReference.Of(outcome.Entry))];
    }

    private async ValueTask<ImmutableArray<JobIngestOutcome>> IngestRoutedAsync(IncomingEvent incoming, long creations, CancellationToken cancellationToken)
    {
        NewJobEvent entry = EventContent.ToNew(incoming, addressedTo: null, _time.GetUtcNow());
        List<JobIngestOutcome> outcomes = [];
        List<JobId> tried = await _router.FindCandidatesAsync(incoming, cancellationToken).ConfigureAwait(false);
        await DeliverToCandidatesAsync(incoming, entry, tried, skip: null, outcomes, cancellationToken).ConfigureAwait(false);
        if (outcomes.Count == 0)
        {
            AppendResult unrouted = await _journal.AppendAsync(JobId.Unrouted, ExpectedStreamVersion.Any, [entry], cancellationToken).ConfigureAwait(false);
            AppendOutcome outcome = unrouted.Outcomes[0];
            outcomes.Add(outcome.IsDuplicate
                ? DuplicateOutcome(null, null, outcome.Entry, outcome.IsConflict, incoming.EventId)
                : new JobIngestOutcome(null, IngestStatus.Unmatched, Entry: EntryReference.Of(outcome.Entry)));
        }

        if (Volatile.Read(ref _creations) != creations)
        {
            // A job created meanwhile may not have seen this event when it scanned: deliver to it now.
            // The set of jobs already tried is built only here, on this rare path, not for every event.
            int before = outcomes.Count;
            List<JobId> again = await _router.FindCandidatesAsync(incoming, cancellationToken).ConfigureAwait(false);
            await DeliverToCandidatesAsync(incoming, entry, again, skip: [.. tried], outcomes, cancellationToken).ConfigureAwait(false);
            if (outcomes.Count > before && outcomes[0].JobId is null)
            {
                outcomes.RemoveAt(0);
            }
        }

        return [.. outcomes];
    }

    /// <summary>Delivers to each candidate (distinct, from the router) not in <paramref name="skip"/>.</summary>
    private async ValueTask DeliverToCandidatesAsync(IncomingEvent incoming, NewJobEvent entry, List<JobId> candidates, HashSet<JobId>? skip, List<JobIngestOutcome> outcomes, CancellationToken cancellationToken)
    {
        foreach (JobId candidate in candidates)
        {
            if ((skip is null || !skip.Contains(candidate))
                && await TryDeliverAsync(candidate, entry, incoming, requireMatch: true, cancellationToken).ConfigureAwait(false) is { } outcome)
            {
                outcomes.Add(outcome);
            }
        }
    }

    /// <summary>Appends the event to one job's stream; null when the job does not exist (or, routed, when its plan does not concern the event).</summary>
    private async ValueTask<JobIngestOutcome?> TryDeliverAsync(JobId jobId, NewJobEvent entry, IncomingEvent incoming, bool requireMatch, CancellationToken cancellationToken)
    {
        using (await _streams.LockAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            JobState? state = await _streams.GetForWriteAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (state is null || (requireMatch && !EventRouter.Concerns(_plans.Get(state.JobType), state, incoming)))
            {
                return null;
            }

            StreamAppend append = await _streams.AppendAsync(state, [entry], cancellationToken).ConfigureAwait(false);
            return ToOutcome(append, 0, incoming.EventId);
        }
    }

    private JobIngestOutcome ToOutcome(StreamAppend append, int index, EventId eventId)
    {
        AppendOutcome outcome = append.Result.Outcomes[index];
        JobId jobId = append.After.JobId;
        if (outcome.IsDuplicate)
        {
            return DuplicateOutcome(jobId, append.After.Status, outcome.Entry, outcome.IsConflict, eventId);
        }

        LogTransitions(append.Before, append.After);
        IngestStatus status = append.Effects[index] switch
        {
            EntryEffect.Unmatched => IngestStatus.Unmatched,
            EntryEffect.RecordedOnly => IngestStatus.RecordedOnly,
            _ => IngestStatus.Applied,
        };
        return new JobIngestOutcome(jobId, status, append.After.Status, EntryReference.Of(outcome.Entry));
    }

    private async ValueTask<IngestResult> DuplicateAsync(IncomingEvent incoming, IReadOnlyList<JobEventLogEntry> recorded, CancellationToken cancellationToken)
    {
        // Once a parked event has been adopted by its job, the job's copy is the one to report.
        bool reachedJobs = recorded.Any(static entry => !entry.JobId.IsUnrouted);
        var outcomes = ImmutableArray.CreateBuilder<JobIngestOutcome>(recorded.Count);
        foreach (JobEventLogEntry original in recorded)
        {
            if (reachedJobs && original.JobId.IsUnrouted)
            {
                continue;
            }

            JobId? jobId = original.JobId.IsUnrouted ? null : original.JobId;
            JobState? state = jobId is { } id ? await _streams.GetCurrentAsync(id, cancellationToken).ConfigureAwait(false) : null;
            outcomes.Add(DuplicateOutcome(jobId, state?.Status, original, !EventContent.SameContent(incoming, original), incoming.EventId));
        }

        return new IngestResult(incoming.EventId, outcomes.ToImmutable());
    }

    private JobIngestOutcome DuplicateOutcome(JobId? jobId, JobStatus? status, JobEventLogEntry original, bool isConflict, EventId eventId)
    {
        if (isConflict)
        {
            Log.ConflictingDuplicate(_logger, eventId, jobId);
        }

        return new JobIngestOutcome(jobId, IngestStatus.Duplicate, status, EntryReference.Of(original), isConflict);
    }

    private void LogTransitions(JobState? before, JobState after)
    {
        for (int i = before?.Transitions.Length ?? 0; i < after.Transitions.Length; i++)
        {
            JobTransition transition = after.Transitions[i];
            Log.JobTransitioned(_logger, after.JobId, transition.From, transition.To, transition.CausedBy.Sequence, transition.EventType);
        }
    }
}
