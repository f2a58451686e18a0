namespace JobManagement;

/// <summary>
/// Derives a job's <see cref="JobState"/> from its journal entries: a pure, deterministic fold.
/// No clock, no I/O, no logging; observability identifiers are never read. The same plan and
/// entries always give an equal state, and <see cref="Project"/> equals folding <see cref="Apply"/>.
/// </summary>
/// <remarks>
/// Entries are folded in sequence order; the first terminal transition wins and later entries are
/// record-only. An entry whose sequence the state already covers is ignored, so replaying a
/// suffix is harmless; a gap in sequences is a <see cref="JobJournalCorruptionException"/>.
/// </remarks>
public static class JobStateProjector
{
    /// <summary>Projects a whole stream, which must begin with the job's <c>job.created</c> entry.</summary>
    /// <param name="plan">The plan of the job's type.</param>
    /// <param name="entries">The stream's entries, in sequence order.</param>
    /// <returns>The job's state.</returns>
    /// <exception cref="JobJournalCorruptionException">The stream does not start with <c>job.created</c>, or has a gap.</exception>
    public static JobState Project(JobPlan plan, IEnumerable<JobEventLogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(entries);
        JobStateBuilder? builder = null;
        foreach (JobEventLogEntry entry in entries)
        {
            if (builder is null)
            {
                builder = JobStateBuilder.Create(plan, entry);
            }
            else
            {
                builder.Apply(entry);
            }
        }

        return builder?.ToState() ?? throw new ArgumentException("A job's stream has at least its job.created entry; none was given.", nameof(entries));
    }

    /// <summary>Starts a state from a stream's first entry, which must be <c>job.created</c>.</summary>
    /// <param name="plan">The plan of the job's type.</param>
    /// <param name="created">The stream's first entry.</param>
    /// <returns>The job's state after its creation.</returns>
    /// <exception cref="JobJournalCorruptionException">The entry is not a well-formed <c>job.created</c> at sequence 1.</exception>
    public static JobState Initial(JobPlan plan, JobEventLogEntry created)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return JobStateBuilder.Create(plan, created).ToState();
    }

    /// <summary>Applies one more entry to a state: the incremental form of <see cref="Project"/>.</summary>
    /// <param name="plan">The plan of the job's type.</param>
    /// <param name="state">The state so far.</param>
    /// <param name="entry">The next entry of the same stream.</param>
    /// <returns>The new state (the same instance when the entry was already applied).</returns>
    /// <exception cref="JobJournalCorruptionException">The entry skips a sequence.</exception>
    public static JobState Apply(JobPlan plan, JobState state, JobEventLogEntry entry) => ApplyWithEffect(plan, state, entry, out _);

    internal static JobState ApplyWithEffect(JobPlan plan, JobState state, JobEventLogEntry entry, out EntryEffect effect)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Sequence <= state.Version)
        {
            effect = EntryEffect.AlreadyApplied;
            return state;
        }

        JobStateBuilder builder = JobStateBuilder.From(plan, state);
        effect = builder.Apply(entry);
        return builder.ToState();
    }
}
