namespace JobManagement.Tests.Support;

/// <summary>Reads a journal back in the shapes tests assert on.</summary>
public static class JournalReading
{
    public static async Task<List<JobEventLogEntry>> ReadStreamListAsync(this IJobEventJournal journal, JobId jobId)
    {
        List<JobEventLogEntry> entries = [];
        await foreach (JobEventLogEntry entry in journal.ReadStreamAsync(jobId))
        {
            entries.Add(entry);
        }

        return entries;
    }

    public static async Task<IReadOnlyList<JobEventLogEntry>> ReadEverythingAsync(this IJobEventJournal journal) =>
        await journal.ReadAllAsync(1, int.MaxValue);

    /// <summary>Projects a job's stream straight from the journal, bypassing any engine.</summary>
    public static async Task<JobState> ProjectAsync(this IJobEventJournal journal, JobPlan plan, JobId jobId) =>
        JobStateProjector.Project(plan, await journal.ReadStreamListAsync(jobId));
}
