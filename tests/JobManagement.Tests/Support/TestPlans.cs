namespace JobManagement.Tests.Support;

/// <summary>Plans shared by the tests. Every correlated matcher uses the key <c>orderId</c>.</summary>
public static class TestPlans
{
    public static JobType OrderType { get; } = JobType.Parse("order-fulfillment");

    /// <summary>payment.captured (once) and parcel.delivered (twice), failed by payment.declined.</summary>
    public static JobPlan Order { get; } = new JobPlanBuilder(OrderType)
        .Expect("payment.captured", e => e.CorrelatedOn("orderId"))
        .Expect("parcel.delivered", e => e.CorrelatedOn("orderId").Times(2))
        .FailOn("payment.declined", f => f.CorrelatedOn("orderId"))
        .Build();

    /// <summary>Like <see cref="Order"/>, but failures and aborts are compensated by <c>refund-payment</c>.</summary>
    public static JobPlan CompensatedOrder { get; } = new JobPlanBuilder(JobType.Parse("compensated-order"))
        .Expect("payment.captured", e => e.CorrelatedOn("orderId"))
        .Expect("parcel.delivered", e => e.CorrelatedOn("orderId").Times(2))
        .FailOn("payment.declined", f => f.CorrelatedOn("orderId"))
        .CompensateWith("refund-payment")
        .Build();

    /// <summary>A second job type that also waits for payment.captured: one event fans out to both.</summary>
    public static JobPlan Invoice { get; } = new JobPlanBuilder(JobType.Parse("invoice"))
        .Expect("payment.captured", e => e.CorrelatedOn("orderId"))
        .Expect("invoice.sent", e => e.CorrelatedOn("orderId"))
        .Build();

    /// <summary>Waits for many distinct item.packed events (for concurrency tests).</summary>
    public static JobPlan Packing(int items) => new JobPlanBuilder(JobType.Parse("packing"))
        .Expect("item.packed", e => e.CorrelatedOn("orderId").Times(items))
        .Build();
}
