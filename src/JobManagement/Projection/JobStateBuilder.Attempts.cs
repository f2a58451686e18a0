namespace JobManagement;

/// <summary>The fold of the execution facts of a job's handler: attempts, retries, results, progress.</summary>
internal sealed partial class JobStateBuilder
{
    private bool HandlerSucceeded
    {
        get
        {
            for (int i = 0; i < _attemptCount; i++)
            {
                if (_attempts[i].Outcome == AttemptOutcome.Succeeded)
                {
                    return true;
                }
            }

            return false;
        }
    }

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
                Rare.NextAttemptAt = entry.RecordedAt; // runnable again at once
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
        if (_status != JobStatus.Running || RunningAttempt() is not null || number != _attemptCount + 1)
        {
            // A claim that lost (the job is not runnable, or another attempt is live): kept, changes nothing.
            _recordedOnly++;
            return EntryEffect.RecordedOnly;
        }

        string? worker = entry.Attributes.TryGetValue(ReservedAttributes.Worker, out string? w) ? w : null;
        AddAttempt(new AttemptFacts(number, worker, entry.RecordedAt, ExecutionFacts.ReadTime(entry, ReservedAttributes.LeaseUntil), AttemptOutcome.Running, null, null));
        if (_rare is not null)
        {
            _rare.NextAttemptAt = null; // a claim makes no rare parts: it writes values into the fold only
        }

        return EntryEffect.Applied;
    }

    /// <summary>Changes the running attempt the entry names; a late fact of an attempt that is not running any more is record-only.</summary>
    private EntryEffect EndOrUpdateRunning(JobEventLogEntry entry, Func<AttemptFacts, JobEventLogEntry, AttemptFacts> change)
    {
        int number = ExecutionFacts.ReadAttempt(entry);
        if (RunningAttempt() is not { } running || running.Number != number)
        {
            _recordedOnly++;
            return EntryEffect.RecordedOnly;
        }

        SetAttempt(change(running, entry));
        return EntryEffect.Applied;
    }

    private void AddAttempt(in AttemptFacts attempt)
    {
        if (_attemptCount == _attempts.Length)
        {
            Array.Resize(ref _attempts, Math.Max(1, 2 * _attemptCount));
        }

        _attempts[_attemptCount++] = attempt;
        _attemptsChanged = true;
    }

    /// <summary>Replaces an attempt (by its number: attempts are numbered from 1 without gaps).</summary>
    private void SetAttempt(in AttemptFacts attempt)
    {
        _attempts[attempt.Number - 1] = attempt;
        _attemptsChanged = true;
    }

    private void FailAttempt(JobEventLogEntry entry, ExecutionFailure failure)
    {
        if (ExecutionFacts.ReadTime(entry, ReservedAttributes.RetryAt) is { } retryAt)
        {
            Rare.NextAttemptAt = retryAt; // waiting for a retry is Running with a next-attempt time, not a status
            return;
        }

        int number = ExecutionFacts.ReadAttempt(entry);
        Rare.DeadLettered = true;
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
        Rare.Progress = new JobProgress(fraction, message, entry.RecordedAt, eta);
        return EntryEffect.Applied;
    }

    private AttemptFacts? RunningAttempt() =>
        _attemptCount > 0 && _attempts[_attemptCount - 1].Outcome == AttemptOutcome.Running ? _attempts[_attemptCount - 1] : null;
}
