using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobManagement.Tests.Engine;

/// <summary>Bad input at composition time: plans, the plan builder, the DI builder and options.</summary>
public sealed partial class BadInputTests
{
    [Theory]
    [InlineData("no-expectations", 1, new[] { "no expectations" })]
    [InlineData("duplicate-expectation-names", 1, new[] { "expectation name 'paid' is used 2 times" })]
    [InlineData("expects-execution-type", 1, new[] { "'job.created'", "reserved execution namespace" })]
    [InlineData("fails-on-execution-type", 1, new[] { "failure rule 'job.started'", "reserved execution namespace" })]
    [InlineData("reserved-attribute-key", 1, new[] { "'job.type'", "not a valid, non-reserved attribute key" })]
    [InlineData("reserved-job-correlation-key", 1, new[] { "'job.orderId'", "not a valid, non-reserved attribute key" })]
    [InlineData("invalid-attribute-key", 1, new[] { "'bad key'" })]
    [InlineData("empty-in-set", 1, new[] { "empty set" })]
    [InlineData("everything-at-once", 5, new[] { "expectation name 'paid' is used 2 times", "failure rule name 'declined' is used 2 times", "'job.created'", "'job.started'", "'bad key'" })]
    public void AddPlan_InvalidPlan_ThrowsJobPlanValidationListingEveryProblem(string @case, int problemCount, string[] mentions)
    {
        IServiceCollection services = new ServiceCollection();
        Action<JobPlanBuilder> configure = @case switch
        {
            "no-expectations" => static plan => plan.FailOn("payment.declined"),
            "duplicate-expectation-names" => static plan => plan.Expect("payment.captured", e => e.Named("paid")).Expect("payment.settled", e => e.Named("paid")),
            "expects-execution-type" => static plan => plan.Expect("job.created"),
            "fails-on-execution-type" => static plan => plan.Expect("payment.captured").FailOn("job.started"),
            "reserved-attribute-key" => static plan => plan.Expect("payment.captured", e => e.CorrelatedOn("job.type", "orderId")),
            "reserved-job-correlation-key" => static plan => plan.Expect("payment.captured", e => e.CorrelatedOn("orderId", "job.orderId")),
            "invalid-attribute-key" => static plan => plan.Expect("payment.captured", e => e.WhereAttribute("bad key", "x")),
            "empty-in-set" => static plan => plan.Expect("payment.captured", e => e.WhereAttributeIn("currency")),
            "everything-at-once" => static plan => plan
                .Expect("payment.captured", e => e.Named("paid").WhereAttribute("bad key", "x"))
                .Expect("payment.settled", e => e.Named("paid"))
                .Expect("job.created")
                .FailOn("payment.declined", f => f.Named("declined"))
                .FailOn("job.started", f => f.Named("declined")),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        Action act = () => services.AddJobEngine(jobs => jobs.AddPlan("order-fulfillment", configure));

        JobPlanValidationException thrown = act.Should().Throw<JobPlanValidationException>().Which;
        thrown.JobType.Should().Be(OrderType);
        thrown.Problems.Should().HaveCount(problemCount);
        foreach (string mention in mentions)
        {
            thrown.Problems.Should().Contain(p => p.Contains(mention, StringComparison.Ordinal), $"a problem should mention {mention}");
            thrown.Message.Should().Contain(mention);
        }

        services.Should().NotContain(d => d.ServiceType == typeof(JobPlan), "an invalid plan is never registered");
    }

    [Fact]
    public void JobPlanCatalog_DirectlyBuiltInvalidPlans_ThrowWithEveryProblem()
    {
        var predicate = new AllOfPredicate([new AttributeEqualsPredicate("job.x", CorrelationOperand.Constant("1")), new AttributeInPredicate("k", [])]);
        var plan = new JobPlan(default, [new ExpectedEvent(" ", ExpectationKind.DomainFact, new EventMatcher(default, predicate), Multiplicity.ExactlyOnce)]);

        Action act = () => _ = new JobPlanCatalog([plan]);

        act.Should().Throw<JobPlanValidationException>().Which.Problems.Should().HaveCount(5)
            .And.Contain(p => p.Contains("JobType must not be default", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("empty name", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("default event type", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("'job.x'", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("empty set", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("expect.bad-event-type", typeof(ArgumentException), "Payment Captured")]
    [InlineData("expect.execution-event-type-upper", typeof(ArgumentException), "Job.Created")]
    [InlineData("fail-on.bad-event-type", typeof(ArgumentException), "payment..declined")]
    [InlineData("times.zero", typeof(ArgumentOutOfRangeException), "count")]
    [InlineData("times.negative", typeof(ArgumentOutOfRangeException), "count")]
    [InlineData("named.empty", typeof(ArgumentException), "name")]
    [InlineData("named.blank", typeof(ArgumentException), "name")]
    [InlineData("fail-on-named.empty", typeof(ArgumentException), "name")]
    [InlineData("for-task.bad-task", typeof(ArgumentException), "bad task")]
    [InlineData("compensate-with.empty", typeof(ArgumentException), "name")]
    [InlineData("add-plan.bad-job-type", typeof(ArgumentException), "Order Fulfillment")]
    public void PlanBuilder_BadArgument_ThrowsArgumentExceptionNamingIt(string @case, Type exceptionType, string named)
    {
        IServiceCollection services = new ServiceCollection();
        string jobType = @case == "add-plan.bad-job-type" ? "Order Fulfillment" : "order-fulfillment";
        Action<JobPlanBuilder> configure = @case switch
        {
            "expect.bad-event-type" => static plan => plan.Expect("Payment Captured"),
            "expect.execution-event-type-upper" => static plan => plan.Expect("Job.Created"),
            "fail-on.bad-event-type" => static plan => plan.Expect("payment.captured").FailOn("payment..declined"),
            "times.zero" => static plan => plan.Expect("payment.captured", e => e.Times(0)),
            "times.negative" => static plan => plan.Expect("payment.captured", e => e.Times(-1)),
            "named.empty" => static plan => plan.Expect("payment.captured", e => e.Named(string.Empty)),
            "named.blank" => static plan => plan.Expect("payment.captured", e => e.Named("   ")),
            "fail-on-named.empty" => static plan => plan.Expect("payment.captured").FailOn("payment.declined", f => f.Named(string.Empty)),
            "for-task.bad-task" => static plan => plan.Expect("payment.captured", e => e.ForTask("bad task")),
            "compensate-with.empty" => static plan => plan.Expect("payment.captured").CompensateWith(string.Empty),
            "add-plan.bad-job-type" => static plan => plan.Expect("payment.captured"),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        Action act = () => services.AddJobEngine(jobs => jobs.AddPlan(jobType, configure));

        ArgumentException thrown = act.Should().Throw<ArgumentException>().Which;
        thrown.Should().BeOfType(exceptionType);
        thrown.ParamName.Should().NotBeNullOrEmpty();
        (thrown.ParamName == named || thrown.Message.Contains(named, StringComparison.Ordinal)).Should().BeTrue($"'{thrown.Message}' should name '{named}'");
        services.Should().NotContain(d => d.ServiceType == typeof(JobPlan));
    }

    [Fact]
    public void AddPlan_SameJobTypeTwice_ThrowsArgumentExceptionAndKeepsTheFirst()
    {
        IServiceCollection services = new ServiceCollection();
        JobEngineBuilder builder = services.AddJobEngine(jobs => jobs.AddPlan("order-fulfillment", plan => plan.Expect("payment.captured")));

        Action act = () => builder.AddPlan("order-fulfillment", plan => plan.Expect("parcel.delivered"));
        Action again = () => services.AddJobEngine(jobs => jobs.AddPlan("order-fulfillment", plan => plan.Expect("parcel.delivered")));

        act.Should().Throw<ArgumentException>().WithMessage("*'order-fulfillment' already has a plan*").Which.ParamName.Should().Be("plan");
        again.Should().Throw<ArgumentException>().WithMessage("*already has a plan*");
        services.Where(d => d.ServiceType == typeof(JobPlan)).Should().ContainSingle()
            .Which.ImplementationInstance.Should().BeOfType<JobPlan>().Which.Expectations.Single().Matcher.EventType.Value.Should().Be("payment.captured");
    }

    [Theory]
    [InlineData("add-job-engine.null-services", "services")]
    [InlineData("add-plan.null-plan", "plan")]
    [InlineData("add-plan.null-configure", "configure")]
    [InlineData("use-journal.null-factory", "factory")]
    [InlineData("configure.null", "configure")]
    [InlineData("catalog.null-plans", "plans")]
    [InlineData("engine.null-journal", "journal")]
    [InlineData("engine.null-plans", "plans")]
    [InlineData("engine.null-options", "options")]
    [InlineData("engine.null-time-provider", "timeProvider")]
    public void Builders_NullArgument_ThrowArgumentNullExceptionNamingIt(string @case, string paramName)
    {
        IServiceCollection services = new ServiceCollection();
        JobEngineBuilder builder = services.AddJobEngine();
        var catalog = new JobPlanCatalog([]);
        IOptions<JobEngineOptions> options = Options.Create(new JobEngineOptions());
        Action act = @case switch
        {
            "add-job-engine.null-services" => static () => JobEngineServiceCollectionExtensions.AddJobEngine(null!),
            "add-plan.null-plan" => () => builder.AddPlan(null!),
            "add-plan.null-configure" => () => builder.AddPlan("order-fulfillment", null!),
            "use-journal.null-factory" => () => builder.UseJournal(null!),
            "configure.null" => () => builder.Configure(null!),
            "catalog.null-plans" => static () => _ = new JobPlanCatalog(null!),
            "engine.null-journal" => () => _ = new JobEngine(null!, catalog, options, TimeProvider.System),
            "engine.null-plans" => () => _ = new JobEngine(new InMemoryJobEventJournal(), null!, options, TimeProvider.System),
            "engine.null-options" => () => _ = new JobEngine(new InMemoryJobEventJournal(), catalog, null!, TimeProvider.System),
            "engine.null-time-provider" => () => _ = new JobEngine(new InMemoryJobEventJournal(), catalog, options, null!),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        act.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be(paramName);
    }

    [Theory]
    [InlineData("max-payload-zero", "MaxPayloadBytes")]
    [InlineData("max-payload-huge", "MaxPayloadBytes")]
    [InlineData("cache-zero", "StateCacheCapacity")]
    [InlineData("retries-negative", "MaxConcurrencyRetries")]
    [InlineData("reason-zero", "MaxReasonLength")]
    [InlineData("reason-over-attribute-limit", "MaxReasonLength")]
    public async Task Options_OutOfRange_ThrowOptionsValidationOnResolveNamingTheSetting(string @case, string setting)
    {
        Action<JobEngineOptions> configure = @case switch
        {
            "max-payload-zero" => static o => o.MaxPayloadBytes = 0,
            "max-payload-huge" => static o => o.MaxPayloadBytes = int.MaxValue,
            "cache-zero" => static o => o.StateCacheCapacity = 0,
            "retries-negative" => static o => o.MaxConcurrencyRetries = -1,
            "reason-zero" => static o => o.MaxReasonLength = 0,
            "reason-over-attribute-limit" => static o => o.MaxReasonLength = EventAttributes.MaxValueLength + 1,
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };
        await using ServiceProvider provider = new ServiceCollection()
            .AddJobEngine(jobs => jobs.Configure(configure))
            .Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Func<JobEngine> resolve = provider.GetRequiredService<JobEngine>;

        OptionsValidationException thrown = resolve.Should().Throw<OptionsValidationException>().Which;
        thrown.Failures.Should().ContainSingle().Which.Should().Contain($"JobEngineOptions.{setting}");
    }

    [Fact]
    public async Task Options_SeveralOutOfRange_ListsEveryFailure()
    {
        await using ServiceProvider provider = new ServiceCollection()
            .AddJobEngine(jobs => jobs.Configure(static o => (o.MaxPayloadBytes, o.StateCacheCapacity, o.MaxReasonLength) = (0, 0, 0)))
            .Services.BuildServiceProvider();

        Func<JobEngine> resolve = provider.GetRequiredService<JobEngine>;

        resolve.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(3);
    }
}
