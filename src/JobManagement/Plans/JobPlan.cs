using System.Collections.Frozen;
using System.Collections.Immutable;

namespace JobManagement;

/// <summary>
/// What a job of one type waits for and what fails it: a <em>set</em> of
/// <see cref="ExpectedEvent"/>s (order is not assumed), failure rules, and an optional
/// compensation policy. Immutable and thread-safe; build one with <see cref="JobPlanBuilder"/>.
/// </summary>
public sealed class JobPlan
{
    private readonly FrozenSet<EventTypeId> _relevantTypes;
    private EventAttributes? _typeOnlyCreatedAttributes;

    /// <summary>Initializes a new plan. Prefer <see cref="JobPlanBuilder"/>; call <see cref="Validate"/> before use.</summary>
    /// <param name="jobType">The job type the plan is registered under.</param>
    /// <param name="expectations">The expectations (a set: order is for display only).</param>
    /// <param name="failOn">The failure rules.</param>
    /// <param name="compensation">The compensation policy, if the job must be compensated on failure or abort.</param>
    public JobPlan(JobType jobType, IEnumerable<ExpectedEvent> expectations, IEnumerable<FailureRule>? failOn = null, CompensationPolicy? compensation = null)
        : this(jobType, expectations, failOn, compensation, runsHandler: false)
    {
    }

    /// <summary>Initializes a new plan that may wait for its jobs' children. Prefer <see cref="JobPlanBuilder"/>.</summary>
    /// <param name="jobType">The job type the plan is registered under.</param>
    /// <param name="expectations">The expectations (a set: order is for display only).</param>
    /// <param name="failOn">The failure rules.</param>
    /// <param name="compensation">The compensation policy, or null.</param>
    /// <param name="waitsForChildren">Whether a job succeeds only once every child has succeeded (see <see cref="WaitsForChildren"/>).</param>
    public JobPlan(JobType jobType, IEnumerable<ExpectedEvent> expectations, IEnumerable<FailureRule>? failOn, CompensationPolicy? compensation, bool waitsForChildren)
        : this(jobType, expectations, failOn, compensation, runsHandler: false, waitsForChildren)
    {
    }

    /// <summary>Initializes a plan whose jobs run a handler (set when a handler is registered for the job type).</summary>
    internal JobPlan(JobType jobType, IEnumerable<ExpectedEvent> expectations, IEnumerable<FailureRule>? failOn, CompensationPolicy? compensation, bool runsHandler, bool waitsForChildren = false)
    {
        RunsHandler = runsHandler;
        WaitsForChildren = waitsForChildren;
        ArgumentNullException.ThrowIfNull(expectations);
        JobType = jobType;
        Expectations = [.. expectations];
        FailOn = failOn is null ? [] : [.. failOn];
        Compensation = compensation;
        Matchers = [.. Expectations.Select(static e => e.Matcher), .. FailOn.Select(static f => f.Matcher)];
        _relevantTypes = Expectations.Select(static e => e.Matcher.EventType)
            .Concat(FailOn.Select(static f => f.Matcher.EventType))
            .ToFrozenSet();
        CorrelationKeys = [.. Matchers.SelectMany(static m => m.Where.CorrelationEqualities())
            .Select(static equality => equality.Operand.Value)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Gets the job type the plan is registered under.</summary>
    public JobType JobType { get; }

    /// <summary>Gets the expectations.</summary>
    public ImmutableArray<ExpectedEvent> Expectations { get; }

    /// <summary>Gets the failure rules.</summary>
    public ImmutableArray<FailureRule> FailOn { get; }

    /// <summary>Gets the compensation policy, or null when failures and aborts end the job at once.</summary>
    public CompensationPolicy? Compensation { get; }

    /// <summary>
    /// Gets a value indicating whether jobs of this plan run a handler: then a job succeeds only once an
    /// attempt of its handler has succeeded <em>and</em> every expectation is satisfied ("run a command,
    /// then wait for the webhook").
    /// </summary>
    public bool RunsHandler { get; }

    /// <summary>
    /// Gets a value indicating whether a job of this plan waits for its children: it cannot succeed while any
    /// child it knows of is not terminal, and it fails (naming the child) when a child fails or is aborted.
    /// A plan with no expectations and no handler that waits for children succeeds once it has at least one
    /// child and all have succeeded. Children created after the job ended are not waited for.
    /// </summary>
    public bool WaitsForChildren { get; }

    /// <summary>Gets the correlation keys the plan compares events with; a job must supply a value for each when it is created.</summary>
    public ImmutableArray<string> CorrelationKeys { get; }

    /// <summary>Gets the event types any expectation or failure rule mentions.</summary>
    public IReadOnlySet<EventTypeId> RelevantEventTypes => _relevantTypes;

    /// <summary>Gets the matchers of the expectations, then of the failure rules (made once: every job's creation looks at them).</summary>
    internal ImmutableArray<EventMatcher> Matchers { get; }

    /// <summary>
    /// Gets the attributes of a <c>job.created</c> entry for a request with no correlation values and no creation options
    /// (only the job type): made once and shared by every such job, so it costs neither an allocation nor a kept object per job.
    /// </summary>
    /// <remarks>Made on first use: a plan being validated may have no job type yet. Two threads may both make it; either is right.</remarks>
    internal EventAttributes TypeOnlyCreatedAttributes =>
        _typeOnlyCreatedAttributes ??= EventAttributes.CreateTrusted([KeyValuePair.Create(ReservedAttributes.JobType, JobType.Value)]);

    /// <summary>Tells whether any expectation or failure rule mentions the event type.</summary>
    /// <param name="eventType">The event type.</param>
    /// <returns>True when events of this type may affect a job of this plan.</returns>
    public bool IsRelevant(EventTypeId eventType) => _relevantTypes.Contains(eventType);

    /// <summary>Lists every problem with the plan (empty when it is valid).</summary>
    /// <param name="hasHandler">Whether a handler is registered for the job type (a plan with a handler may have no expectations).</param>
    /// <returns>The problems, each naming the part of the plan at fault.</returns>
    public IReadOnlyList<string> Validate(bool hasHandler = false) => JobPlanValidator.Validate(this, hasHandler || RunsHandler);

    /// <summary>Throws <see cref="JobPlanValidationException"/> listing every problem, if there are any.</summary>
    /// <param name="hasHandler">Whether a handler is registered for the job type.</param>
    /// <exception cref="JobPlanValidationException">The plan is invalid.</exception>
    public void EnsureValid(bool hasHandler = false)
    {
        IReadOnlyList<string> problems = Validate(hasHandler);
        if (problems.Count > 0)
        {
            throw new JobPlanValidationException(JobType, problems);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"plan {JobType}: expects {string.Join(", ", Expectations)}";
}
