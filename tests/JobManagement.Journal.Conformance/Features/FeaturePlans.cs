namespace JobManagement.Journal.Conformance.Features;

/// <summary>The plans of the feature conformance suite. Every correlated matcher uses the key <c>orderId</c>.</summary>
public static class FeaturePlans
{
    /// <summary>Succeeds on payment.captured, fails on payment.declined (both correlated on orderId).</summary>
    public static JobPlan Order { get; } = new JobPlanBuilder(JobType.Parse("feature-order"))
        .Expect("payment.captured", static e => e.CorrelatedOn("orderId"))
        .FailOn("payment.declined", static f => f.CorrelatedOn("orderId"))
        .Build();

    /// <summary>Waits for report.ready (correlated on orderId) and for every child to succeed.</summary>
    public static JobPlan Parent { get; } = new JobPlanBuilder(JobType.Parse("feature-parent"))
        .Expect("report.ready", static e => e.CorrelatedOn("orderId"))
        .WaitForChildren()
        .Build();
}
