namespace JobManagement;

/// <summary>The fold of the runs of a compensating job's compensation handler (claimed and leased like attempts).</summary>
internal sealed partial class JobStateBuilder
{
    private static bool IsCompensationFact(JobEventLogEntry entry) =>
        IsCompensationOutcome(entry)
        || (entry.Lane == EventLane.Execution
            && (entry.EventType == ExecutionEventTypes.CompensationStarted || entry.EventType == ExecutionEventTypes.CompensationLeaseRenewed));

    /// <summary>Applies a compensation run fact; null when the entry is not one.</summary>
    private EntryEffect? TryApplyCompensationRun(JobEventLogEntry entry)
    {
        bool started = entry.EventType == ExecutionEventTypes.CompensationStarted;
        if (!started && entry.EventType != ExecutionEventTypes.CompensationLeaseRenewed)
        {
            return null;
        }

        int run = ExecutionFacts.ReadAttempt(entry);
        if (_status != JobStatus.Compensating || Compensation is not { Outcome: CompensationOutcome.Pending } compensation
            || run != (started ? compensation.Runs + 1 : compensation.Runs))
        {
            // A claim that lost, or the renewal of a run that was taken over: kept, changes nothing.
            _recordedOnly++;
            return EntryEffect.RecordedOnly;
        }

        DateTimeOffset? leaseUntil = ExecutionFacts.ReadTime(entry, ReservedAttributes.LeaseUntil);
        Rare.Compensation = started
            ? compensation with { Runs = run, Worker = entry.Attributes.TryGetValue(ReservedAttributes.Worker, out string? worker) ? worker : null, LeaseUntil = leaseUntil }
            : compensation with { LeaseUntil = leaseUntil };
        return EntryEffect.Applied;
    }
}
