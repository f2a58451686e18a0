namespace JobManagement.AspNetCore.Tests.Support;

public sealed record PoisonInput(string Note);

[NonRetryable]
public sealed class PoisonException(string message) : Exception(message);

/// <summary>Fails at once with an error that is never retried: its job is dead-lettered on the first attempt.</summary>
public sealed class PoisonHandler : IJobHandler<PoisonInput>
{
    public ValueTask HandleAsync(JobContext<PoisonInput> context, CancellationToken cancellationToken) =>
        throw new PoisonException("cannot be parsed: " + context.Input.Note);
}

/// <summary>The plans and handlers the test app registers.</summary>
public static class TestPlans
{
    /// <summary>Waits for <c>payment.captured</c> correlated on <c>orderId</c>; fails on <c>payment.declined</c>.</summary>
    public const string Order = "order-fulfillment";

    /// <summary>Waits for two <c>parcel.delivered</c> events, addressed.</summary>
    public const string Shipment = "shipment";

    /// <summary>Runs <see cref="PoisonHandler"/>: dead-lettered at once.</summary>
    public const string Poison = "poison";

    public static void Register(JobEngineBuilder jobs) => jobs
        .AddPlan(Order, plan => plan
            .Expect("payment.captured", e => e.CorrelatedOn("orderId"))
            .FailOn("payment.declined", f => f.CorrelatedOn("orderId")))
        .AddPlan(Shipment, plan => plan.Expect("parcel.delivered", e => e.Times(2)))
        .AddHandler<PoisonHandler, PoisonInput>(Poison, job => job.WithRetries(0));
}
