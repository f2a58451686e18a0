using MassTransit;

namespace JobManagement.Benchmarks.Compare;

/// <summary>Creates one order saga (the peer's counterpart of creating a job).</summary>
/// <param name="OrderId">The saga's correlation id.</param>
public sealed record OrderCreated(Guid OrderId);

/// <summary>One correlated fact for an order (the peer's counterpart of an <c>item.scanned</c> event).</summary>
/// <param name="OrderId">The saga's correlation id.</param>
/// <param name="EventId">The fact's id (carried, as ours are; the plain saga does not deduplicate on it).</param>
public sealed record ItemScanned(Guid OrderId, string EventId);

/// <summary>The saga's state: the counterpart of a job's state (status and a per-expectation count).</summary>
public sealed class OrderSagaState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public int Scanned { get; set; }
}

/// <summary>
/// A MassTransit 8 saga state machine doing what our plan does: created → Running, then count every
/// correlated <see cref="ItemScanned"/> while Running. It tells <see cref="ConsumptionCounter"/> about
/// each message it handled so the harness knows when all have been consumed.
/// </summary>
public sealed class OrderStateMachine : MassTransitStateMachine<OrderSagaState>
{
    public OrderStateMachine(ConsumptionCounter counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        InstanceState(saga => saga.CurrentState);
        Event(() => Created, e => e.CorrelateById(context => context.Message.OrderId));
        Event(() => Scanned, e => e.CorrelateById(context => context.Message.OrderId));

        Initially(
            When(Created)
                .TransitionTo(Running)
                .Then(_ => counter.Signal()));

        During(
            Running,
            When(Scanned)
                .Then(context =>
                {
                    context.Saga.Scanned++;
                    counter.Signal();
                }));
    }

    public State Running { get; private set; } = null!;

    public Event<OrderCreated> Created { get; private set; } = null!;

    public Event<ItemScanned> Scanned { get; private set; } = null!;
}
