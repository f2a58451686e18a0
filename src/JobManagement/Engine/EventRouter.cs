namespace JobManagement;

/// <summary>
/// Finds the jobs an event without a job id may concern, through the journal's job index: for
/// each plan matcher of the event's type, jobs of that plan whose correlation value equals the
/// event's attribute (or every job of the type when the matcher compares no correlation value).
/// Candidates are confirmed against each job's state before anything is appended.
/// </summary>
internal sealed class EventRouter(IJobEventJournal journal, JobPlanCatalog plans)
{
    public async ValueTask<List<JobId>> FindCandidatesAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        List<JobId> candidates = [];
        foreach (RouteRule rule in plans.RoutesFor(incoming.Type))
        {
            JobLookup lookup;
            if (rule.AttributeKey is null)
            {
                lookup = new JobLookup(rule.JobType);
            }
            else if (incoming.Attributes.TryGetValue(rule.AttributeKey, out string? value))
            {
                lookup = new JobLookup(rule.JobType, rule.JobKey, value);
            }
            else
            {
                continue;
            }

            IReadOnlyList<JobId> found = await journal.FindJobsAsync(lookup, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < found.Count; i++)
            {
                JobId jobId = found[i];
                if (!candidates.Contains(jobId))
                {
                    candidates.Add(jobId);
                }
            }
        }

        return candidates;
    }

    /// <summary>Whether the event matches any expectation or failure rule of the job's plan, for this job's correlation values.</summary>
    public static bool Concerns(JobPlan plan, JobState state, IncomingEvent incoming)
    {
        // Walks the arrays rather than plan.Matchers: this runs once per routed event, and the LINQ view allocates.
        foreach (ExpectedEvent expectation in plan.Expectations)
        {
            if (expectation.Matcher.Matches(incoming.Type, incoming.TaskId, incoming.Attributes, state.Correlation))
            {
                return true;
            }
        }

        foreach (FailureRule rule in plan.FailOn)
        {
            if (rule.Matcher.Matches(incoming.Type, incoming.TaskId, incoming.Attributes, state.Correlation))
            {
                return true;
            }
        }

        return false;
    }
}
