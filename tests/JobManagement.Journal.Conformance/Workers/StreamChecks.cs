namespace JobManagement.Journal.Conformance.Workers;

/// <summary>What a job's stream says about its attempts, folded entry by entry with the public projector.</summary>
public sealed record StreamChecks(JobState Projected, int AppliedSucceeded, int RecordedOnlySucceeded, int AppliedStarts, int RecordedOnlyStarts, int MaxRunningAtOnce, bool ContiguousSequences)
{
    /// <summary>Reads a job's whole stream and folds it, noting which attempt facts applied and which were record-only.</summary>
    public static async Task<StreamChecks> ReadAsync(IJobEventJournal journal, JobPlan plan, JobId jobId)
    {
        ArgumentNullException.ThrowIfNull(journal);
        List<JobEventLogEntry> entries = [];
        await foreach (JobEventLogEntry entry in journal.ReadStreamAsync(jobId, 1))
        {
            entries.Add(entry);
        }

        bool contiguous = entries.Select(static e => e.Sequence).SequenceEqual(Enumerable.Range(1, entries.Count).Select(static i => (long)i));
        JobState state = JobStateProjector.Initial(plan, entries[0]);
        int appliedSucceeded = 0, recordedOnlySucceeded = 0, appliedStarts = 0, recordedOnlyStarts = 0, maxRunning = 0;
        foreach (JobEventLogEntry entry in entries.Skip(1))
        {
            int recordedOnlyBefore = state.RecordedOnlyCount;
            state = JobStateProjector.Apply(plan, state, entry);
            bool applied = state.RecordedOnlyCount == recordedOnlyBefore;
            if (entry.EventType == ExecutionEventTypes.AttemptSucceeded)
            {
                _ = applied ? appliedSucceeded++ : recordedOnlySucceeded++;
            }
            else if (entry.EventType == ExecutionEventTypes.AttemptStarted)
            {
                _ = applied ? appliedStarts++ : recordedOnlyStarts++;
            }

            maxRunning = Math.Max(maxRunning, state.Attempts.Count(static a => a.Outcome == AttemptOutcome.Running));
        }

        JobState projected = JobStateProjector.Project(plan, entries);
        return new StreamChecks(projected, appliedSucceeded, recordedOnlySucceeded, appliedStarts, recordedOnlyStarts, maxRunning, contiguous);
    }
}
