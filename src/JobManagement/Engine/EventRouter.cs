using System.Collections.Immutable;

namespace JobManagement;

/// <summary>
/// Finds the jobs an event without a job id may concern, through the journal's job index: for
/// each plan matcher of the event's type, jobs of that plan whose correlation value equals the
/// event's attribute (or every job of the type when the matcher compares no correlation value).
/// Candidates are confirmed against each job's state before anything is appended.
/// </summary>
internal sealed class EventRouter(IJobEventJournal journal, JobPlanCatalog plans)
{
    private readonly IJobCreationCounter? _creations = journal as IJobCreationCounter;

    /// <summary>The journal's count of job creations, when it keeps one (see <see cref="IJobCreationCounter"/>); else null.</summary>
    public long? CreationMark() => _creations?.JobsCreated;

    public ValueTask<IReadOnlyList<JobId>> FindCandidatesAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        ImmutableArray<RouteRule> rules = plans.RoutesFor(incoming.Type);
        if (rules.Length == 1)
        {
            // The common case (one plan expects the type): the index's answer is the candidate list.
            return Lookup(rules[0], incoming) is { } only
                ? journal.FindJobsAsync(only, cancellationToken)
                : new([]);
        }

        return FindAcrossRulesAsync(rules, incoming, cancellationToken);
    }

    private async ValueTask<IReadOnlyList<JobId>> FindAcrossRulesAsync(ImmutableArray<RouteRule> rules, IncomingEvent incoming, CancellationToken cancellationToken)
    {
        List<JobId> candidates = [];
        foreach (RouteRule rule in rules)
        {
            if (Lookup(rule, incoming) is not { } lookup)
            {
                continue;
            }

            foreach (JobId jobId in await journal.FindJobsAsync(lookup, cancellationToken).ConfigureAwait(false))
            {
                if (!candidates.Contains(jobId))
                {
                    candidates.Add(jobId);
                }
            }
        }

        return candidates;
    }

    private static JobLookup? Lookup(RouteRule rule, IncomingEvent incoming)
    {
        if (rule.AttributeKey is null)
        {
            return new JobLookup(rule.JobType);
        }

        return incoming.Attributes.TryGetValue(rule.AttributeKey, out string? value)
            ? new JobLookup(rule.JobType, rule.JobKey, value)
            : null;
    }

    /// <summary>Whether the event matches any expectation or failure rule of the job's plan, for this job's correlation values.</summary>
    public static bool Concerns(JobPlan plan, EventAttributes correlation, IncomingEvent incoming)
    {
        foreach (ExpectedEvent expectation in plan.Expectations)
        {
            if (expectation.Matcher.Matches(incoming.Type, incoming.TaskId, incoming.Attributes, correlation))
            {
                return true;
            }
        }

        foreach (FailureRule rule in plan.FailOn)
        {
            if (rule.Matcher.Matches(incoming.Type, incoming.TaskId, incoming.Attributes, correlation))
            {
                return true;
            }
        }

        return false;
    }
}
