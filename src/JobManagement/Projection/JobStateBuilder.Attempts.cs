namespace JobManagement;

/// <summary>The fold of the execution facts of a job's handler: attempts, retries, results, progress.</summary>
internal sealed partial class JobStateBuilder
{
    private bool HandlerSucceeded => _attempts.Any(static a => a.Outcome == AttemptOutcome.Succeeded);

    /// <summary>Applies an attempt fact; null when the entry is not one. Status is Running here (terminal and compensating jobs never get this far).</summary>
    private EntryEffect? TryApplyAttemptFact(JobEventLogEntry entry)
    {
        EventTypeId type = entry.EventType;
        if (type == ExecutionEventTypes.AttemptStarted)
        {
            return StartAttempt(entry);
        }

        if (type == ExecutionEventTypes.AttemptLeaseRenewed)
        {
            return EndOrUpdateRunning(entry, static (attempt, e) => attempt with { LeaseUntil = ExecutionFacts.ReadTime(e, ReservedAttributes.LeaseUntil) });
        }

        if (type == ExecutionEventTypes.AttemptSucceeded)
        {
            EntryEffect? effect = EndOrUpdateRunning(entry, static (attempt, e) => attempt with { Outcome = AttemptOutcome.Succeeded, EndedAt = e.RecordedAt });
            if (effect == EntryEffect.Applied)
            {
                _result = entry.Payload;
                CompleteIfSatisfied(entry);
            }

            return effect;
        }

        if (type == ExecutionEventTypes.AttemptFailed)
        {
            ExecutionFailure failure = ExecutionFacts.ReadFailure(entry);
            EntryEffect? effect = EndOrUpdateRunning(entry, (attempt, e) => attempt with { Outcome = AttemptOutcome.Failed, EndedAt = e.RecordedAt, Failure = failure });
            if (effect == EntryEffect.Applied)
            {
                FailAttempt(entry, failure);
            }

            return effect;
        }

        if (type == ExecutionEventTypes.AttemptInterrupted)
        {
            EntryEffect? effect = EndOrUpdateRunning(entry, static (attempt, e) => attempt with { Outcome = AttemptOutcome.Interrupted, EndedAt = e.RecordedAt });
            if (effect == EntryEffect.Applied)
            {
                _nextAttemptAt = entry.RecordedAt; // runnable again at once
            }

            return effect;
        }

        if (type == ExecutionEventTypes.Progress)
        {
            return ReportProgress(entry);
        }

        return null;
    }

    private EntryEffect StartAttempt(JobEventLogEntry entry)
    {
        int number = ExecutionFacts.ReadAttempt(entry);
        if (_status != JobStatus.Running || RunningAttempt() is not null || number != _attempts.Length + 1)
        {
            // A claim that lost (the job is not runnable, or another attempt is live): kept, changes nothing.
            _recordedOnly++;
            return EntryEffect.RecordedOnly;
        }

        string? worker = entry.Attributes.TryGetValue(ReservedAttributes.Worker, out string? w) ? w : null;
        _attempts = _attempts.Add(new JobAttempt(number, worker, entry.RecordedAt, ExecutionFacts.ReadTime(entry, ReservedAttributes.LeaseUntil), AttemptOutcome.Running, null, null));
        _nextAttemptAt = null;
        return EntryEffect.Applied;
    }

    /// <summary>Changes the running attempt the entry names; a late fact of an attempt that is not running any more is record-only.</summary>
    private EntryEffect EndOrUpdateRunning(JobEventLogEntry entry, Func<JobAttempt, JobEventLogEntry, JobAttempt> change)
    {
        int number = ExecutionFacts.ReadAttempt(entry);
        if (RunningAttempt() is not { } running || running.Number != number)
        {
            _recordedOnly++;
            return EntryEffect.RecordedOnly;
        }

        _attempts = _attempts.SetItem(number - 1, change(running, entry));
        return EntryEffect.Applied;
    }

    private void FailAttempt(JobEventLogEntry entry, ExecutionFailure failure)
    {
        if (ExecutionFacts.ReadTime(entry, ReservedAttributes.RetryAt) is { } retryAt)
        {
            _nextAttemptAt = retryAt; // waiting for a retry is Running with a next-attempt time, not a status
            return;
        }

        int number = ExecutionFacts.ReadAttempt(entry);
        _deadLettered = true;
        Fail(new JobFailure($"attempt {number} failed with no retry left: {failure}", null, EntryReference.Of(entry), entry.EventType, failure), entry);
    }

    private EntryEffect ReportProgress(JobEventLogEntry entry)
    {
        if (RunningAttempt() is not { } running)
        {
            _recordedOnly++;
            return EntryEffect.RecordedOnly;
        }

        double fraction = ExecutionFacts.ReadFraction(entry);
        string? message = entry.Attributes.TryGetValue(ReservedAttributes.Reason, out string? m) ? m : null;
        DateTimeOffset? eta = fraction > 0 ? running.StartedAt + ((entry.RecordedAt - running.StartedAt) / fraction) : null;
        _progress = new JobProgress(fraction, message, entry.RecordedAt, eta);
        return EntryEffect.Applied;
    }

    private JobAttempt? RunningAttempt() =>
        _attempts.Length > 0 && _attempts[^1].Outcome == AttemptOutcome.Running ? _attempts[^1] : null;
}
