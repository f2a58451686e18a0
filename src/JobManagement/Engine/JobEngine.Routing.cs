using System.Collections.Immutable;

namespace JobManagement;

/// <summary>Ingestion: delivering one event to the job it names, or to the jobs its correlation reaches.</summary>
public sealed partial class JobEngine
{
    private async ValueTask<ImmutableArray<JobIngestOutcome>> IngestAddressedAsync(IncomingEvent incoming, JobId jobId, CancellationToken cancellationToken)
    {
        NewJobEvent entry = EventContent.ToNew(incoming, addressedTo: jobId, _time.GetUtcNow());
        if (await TryDeliverAsync(jobId, entry, incoming, requireMatch: false, cancellationToken).ConfigureAwait(false) is { } delivered)
        {
            return [delivered];
        }

        // The job does not exist yet: keep the event where its creation will find it.
        AppendResult parked = await _journal.AppendAsync(JobId.Unrouted, ExpectedStreamVersion.Any, [entry], cancellationToken).ConfigureAwait(false);
        AppendOutcome outcome = parked[0];
        if (outcome.IsDuplicate)
        {
            return [DuplicateOutcome(null, null, outcome.Entry, outcome.IsConflict, incoming.EventId)];
        }

        // The job may have been created (on this node or another) after we looked and before its
        // scan could see the parked event: the creator appends, then scans; we park, then look again.
        if (await TryDeliverAsync(jobId, entry, incoming, requireMatch: false, cancellationToken).ConfigureAwait(false) is { } late)
        {
            return [late];
        }

        return [new JobIngestOutcome(jobId, IngestStatus.AwaitingJob, Entry: EntryReference.Of(outcome.Entry))];
    }

    private ValueTask<ImmutableArray<JobIngestOutcome>> IngestRoutedAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        NewJobEvent entry = EventContent.ToNew(incoming, addressedTo: null, _time.GetUtcNow());
        long? creationsBefore = _router.CreationMark();
        ValueTask<IReadOnlyList<JobId>> finding = _router.FindCandidatesAsync(incoming, cancellationToken);
        if (creationsBefore is not { } mark || !finding.IsCompletedSuccessfully)
        {
            return RouteAsync(incoming, entry, creationsBefore, finding, cancellationToken);
        }

        IReadOnlyList<JobId> candidates = finding.Result;
        if (candidates.Count != 1)
        {
            return RouteAsync(incoming, entry, creationsBefore, new(candidates), cancellationToken);
        }

        // The common case, without async state machines when every step answers at once: one job
        // concerned, and no job created since we routed (see RouteRestAsync for why that matters).
        ValueTask<JobIngestOutcome?> delivering = TryDeliverAsync(candidates[0], entry, incoming, requireMatch: true, cancellationToken);
        if (!delivering.IsCompletedSuccessfully)
        {
            return RouteRestAsync(incoming, entry, creationsBefore, candidates, delivering, cancellationToken);
        }

        JobIngestOutcome? first = delivering.Result;
        return first is { } delivered && _router.CreationMark() == mark
            ? new([delivered])
            : RouteRestAsync(incoming, entry, creationsBefore, candidates, new(first), cancellationToken);
    }

    private async ValueTask<ImmutableArray<JobIngestOutcome>> RouteAsync(IncomingEvent incoming, NewJobEvent entry, long? creationsBefore, ValueTask<IReadOnlyList<JobId>> finding, CancellationToken cancellationToken)
    {
        IReadOnlyList<JobId> candidates = await finding.ConfigureAwait(false);
        ValueTask<JobIngestOutcome?> first = candidates.Count == 0
            ? new((JobIngestOutcome?)null)
            : TryDeliverAsync(candidates[0], entry, incoming, requireMatch: true, cancellationToken);
        return await RouteRestAsync(incoming, entry, creationsBefore, candidates, first, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Routing once the first candidate has been tried: routing again, fan-out, and the unrouted stream.</summary>
    private async ValueTask<ImmutableArray<JobIngestOutcome>> RouteRestAsync(IncomingEvent incoming, NewJobEvent entry, long? creationsBefore, IReadOnlyList<JobId> candidates, ValueTask<JobIngestOutcome?> firstDelivery, CancellationToken cancellationToken)
    {
        JobIngestOutcome? first = await firstDelivery.ConfigureAwait(false);
        if (candidates.Count == 1 && first is not null)
        {
            // The common case. A job created meanwhile (on this node or another) may have scanned
            // before our append landed: the creator appends, then scans; we append, then route again.
            // A journal that counts creations lets us skip that when none happened since we routed.
            if (creationsBefore is { } mark && _router.CreationMark() == mark)
            {
                return [first.Value];
            }

            IReadOnlyList<JobId> again = await _router.FindCandidatesAsync(incoming, cancellationToken).ConfigureAwait(false);
            if (again.Count == 1 && again[0] == candidates[0])
            {
                return [first.Value];
            }
        }

        List<JobIngestOutcome> outcomes = first is { } delivered ? [delivered] : [];
        HashSet<JobId> tried = [.. candidates.Take(1)];
        await DeliverToAsync(candidates, incoming, entry, tried, outcomes, cancellationToken).ConfigureAwait(false);
        if (outcomes.Count == 0)
        {
            AppendResult unrouted = await _journal.AppendAsync(JobId.Unrouted, ExpectedStreamVersion.Any, [entry], cancellationToken).ConfigureAwait(false);
            AppendOutcome outcome = unrouted[0];
            outcomes.Add(outcome.IsDuplicate
                ? DuplicateOutcome(null, null, outcome.Entry, outcome.IsConflict, incoming.EventId)
                : new JobIngestOutcome(null, IngestStatus.Unmatched, Entry: EntryReference.Of(outcome.Entry)));
        }

        // Route again after appending (see above): deliver to any job created meanwhile.
        int before = outcomes.Count;
        IReadOnlyList<JobId> latest = await _router.FindCandidatesAsync(incoming, cancellationToken).ConfigureAwait(false);
        await DeliverToAsync(latest, incoming, entry, tried, outcomes, cancellationToken).ConfigureAwait(false);
        if (outcomes.Count > before && outcomes[0].JobId is null)
        {
            outcomes.RemoveAt(0);
        }

        return [.. outcomes];
    }

    private async ValueTask DeliverToAsync(IReadOnlyList<JobId> candidates, IncomingEvent incoming, NewJobEvent entry, HashSet<JobId> tried, List<JobIngestOutcome> outcomes, CancellationToken cancellationToken)
    {
        foreach (JobId candidate in candidates)
        {
            if (tried.Add(candidate)
                && await TryDeliverAsync(candidate, entry, incoming, requireMatch: true, cancellationToken).ConfigureAwait(false) is { } outcome)
            {
                outcomes.Add(outcome);
            }
        }
    }

    /// <summary>Appends the event to one job's stream; null when the job does not exist (or, routed, when its plan does not concern the event).</summary>
    private ValueTask<JobIngestOutcome?> TryDeliverAsync(JobId jobId, NewJobEvent entry, IncomingEvent incoming, bool requireMatch, CancellationToken cancellationToken)
    {
        // Every step answers at once on the usual path (a free gate, a cached slot, the in-memory
        // journal): run it without async state machines, and fall back to the awaiting version at
        // the first step that does not.
        ValueTask<JobStreamGate.Releaser> entering = _streams.LockAsync(jobId, cancellationToken);
        if (!entering.IsCompletedSuccessfully)
        {
            return TryDeliverSlowAsync(entering, jobId, entry, incoming, requireMatch, cancellationToken);
        }

        JobStreamGate.Releaser gate = entering.Result;
        bool handedOver = false;
        try
        {
            JobSlot? slot = _streams.TryGetCached(jobId);
            if (slot is null)
            {
                handedOver = true;
                return DeliverLockedAsync(gate, jobId, entry, incoming, requireMatch, cancellationToken);
            }

            if (requireMatch && !EventRouter.Concerns(slot.Plan, slot.Correlation, incoming))
            {
                return new((JobIngestOutcome?)null);
            }

            ValueTask<StreamAppend> appending = _streams.AppendAsync(slot, entry, cancellationToken);
            if (!appending.IsCompletedSuccessfully)
            {
                handedOver = true;
                return FinishDeliveryAsync(gate, appending, incoming.EventId);
            }

            return new(ToOutcome(appending.Result, 0, incoming.EventId));
        }
        finally
        {
            if (!handedOver)
            {
                gate.Dispose();
            }
        }
    }

    private async ValueTask<JobIngestOutcome?> TryDeliverSlowAsync(ValueTask<JobStreamGate.Releaser> entering, JobId jobId, NewJobEvent entry, IncomingEvent incoming, bool requireMatch, CancellationToken cancellationToken) =>
        await DeliverLockedAsync(await entering.ConfigureAwait(false), jobId, entry, incoming, requireMatch, cancellationToken).ConfigureAwait(false);

    /// <summary>The delivery with every step awaited; releases the gate it is given.</summary>
    private async ValueTask<JobIngestOutcome?> DeliverLockedAsync(JobStreamGate.Releaser gate, JobId jobId, NewJobEvent entry, IncomingEvent incoming, bool requireMatch, CancellationToken cancellationToken)
    {
        using (gate)
        {
            JobSlot? slot = await _streams.GetForWriteAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (slot is null || (requireMatch && !EventRouter.Concerns(slot.Plan, slot.Correlation, incoming)))
            {
                return null;
            }

            StreamAppend append = await _streams.AppendAsync(slot, entry, cancellationToken).ConfigureAwait(false);
            return ToOutcome(append, 0, incoming.EventId);
        }
    }

    private async ValueTask<JobIngestOutcome?> FinishDeliveryAsync(JobStreamGate.Releaser gate, ValueTask<StreamAppend> appending, EventId eventId)
    {
        using (gate)
        {
            return ToOutcome(await appending.ConfigureAwait(false), 0, eventId);
        }
    }

    private JobIngestOutcome ToOutcome(StreamAppend append, int index, EventId eventId)
    {
        AppendOutcome outcome = append.Result[index];
        JobId jobId = append.Slot.JobId;
        if (outcome.IsDuplicate)
        {
            return DuplicateOutcome(jobId, append.Slot.Status, outcome.Entry, outcome.IsConflict, eventId);
        }

        LogTransitions(append.Slot, append.TransitionsBefore);
        IngestStatus status = append.EffectAt(index) switch
        {
            EntryEffect.Unmatched => IngestStatus.Unmatched,
            EntryEffect.RecordedOnly => IngestStatus.RecordedOnly,
            _ => IngestStatus.Applied,
        };
        return new JobIngestOutcome(jobId, status, append.Slot.Status, EntryReference.Of(outcome.Entry));
    }

    private async ValueTask<IngestResult> DuplicateAsync(IncomingEvent incoming, IReadOnlyList<JobEventLogEntry> recorded, CancellationToken cancellationToken)
    {
        // Once a parked event has been adopted by its job, the job's copy is the one to report.
        bool reachedJobs = recorded.Any(static entry => !entry.JobId.IsReservedStream);
        var outcomes = ImmutableArray.CreateBuilder<JobIngestOutcome>(recorded.Count);
        foreach (JobEventLogEntry original in recorded)
        {
            if (reachedJobs && original.JobId.IsReservedStream)
            {
                continue;
            }

            JobId? jobId = original.JobId.IsReservedStream ? null : original.JobId;
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

    private void LogTransitions(JobSlot slot, int from)
    {
        for (int i = from; i < slot.TransitionCount; i++)
        {
            TransitionFacts transition = slot.TransitionAt(i);
            Log.JobTransitioned(_logger, slot.JobId, transition.From, transition.To, transition.CausedBy.Sequence, transition.EventType);
            _telemetry.RecordTransition(slot.Plan.JobType, transition, slot.CreatedAt);
        }
    }
}
