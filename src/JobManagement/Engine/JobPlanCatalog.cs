using System.Collections.Frozen;
using System.Collections.Immutable;

namespace JobManagement;

/// <summary>
/// The registered plans, by job type, and the routing rules derived from them. Immutable once
/// built; every plan in it has been validated.
/// </summary>
public sealed class JobPlanCatalog
{
    private readonly FrozenDictionary<JobType, JobPlan> _plans;
    private readonly FrozenDictionary<EventTypeId, ImmutableArray<RouteRule>> _routes;

    /// <summary>Initializes a catalog, validating every plan.</summary>
    /// <param name="plans">The plans; one per job type.</param>
    /// <exception cref="JobPlanValidationException">A plan is invalid (every problem is listed).</exception>
    /// <exception cref="ArgumentException">Two plans share a job type.</exception>
    public JobPlanCatalog(IEnumerable<JobPlan> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        Dictionary<JobType, JobPlan> byType = [];
        foreach (JobPlan plan in plans)
        {
            plan.EnsureValid();
            if (!byType.TryAdd(plan.JobType, plan))
            {
                throw new ArgumentException($"Job type '{plan.JobType}' has more than one plan.", nameof(plans));
            }
        }

        _plans = byType.ToFrozenDictionary();
        _routes = _plans.Values
            .SelectMany(static plan => plan.Matchers.Select(matcher => RouteRule.For(plan.JobType, matcher)))
            .Distinct()
            .GroupBy(static rule => rule.EventType)
            .ToFrozenDictionary(static g => g.Key, static g => g.ToImmutableArray());
    }

    /// <summary>Gets every registered plan.</summary>
    public IEnumerable<JobPlan> Plans => _plans.Values;

    /// <summary>Gets the plan for a job type.</summary>
    /// <param name="jobType">The job type.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="JobTypeNotRegisteredException">No plan is registered for the type.</exception>
    public JobPlan Get(JobType jobType) =>
        _plans.TryGetValue(jobType, out JobPlan? plan) ? plan : throw new JobTypeNotRegisteredException(jobType);

    /// <summary>Tries to get the plan for a job type.</summary>
    /// <param name="jobType">The job type.</param>
    /// <param name="plan">The plan, when registered.</param>
    /// <returns>Whether a plan is registered.</returns>
    public bool TryGet(JobType jobType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JobPlan? plan) => _plans.TryGetValue(jobType, out plan);

    internal ImmutableArray<RouteRule> RoutesFor(EventTypeId eventType) =>
        _routes.TryGetValue(eventType, out ImmutableArray<RouteRule> rules) ? rules : [];
}

/// <summary>
/// How to find jobs for an event without a job id: jobs of <see cref="JobType"/> whose correlation
/// value <see cref="JobKey"/> equals the event's attribute <see cref="AttributeKey"/> (or every job
/// of the type when the matcher has no such equality).
/// </summary>
internal readonly record struct RouteRule(EventTypeId EventType, JobType JobType, string? AttributeKey, string? JobKey)
{
    public static RouteRule For(JobType jobType, EventMatcher matcher)
    {
        AttributeEqualsPredicate? equality = matcher.Where.CorrelationEqualities().FirstOrDefault();
        return new RouteRule(matcher.EventType, jobType, equality?.AttributeKey, equality?.Operand.Value);
    }
}
