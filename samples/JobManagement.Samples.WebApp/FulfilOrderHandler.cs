using Microsoft.Extensions.Options;

namespace JobManagement.Samples.WebApp;

/// <summary>The input of a <c>fulfil-order</c> job.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Lines">What to reserve.</param>
/// <param name="StockHiccup">When true, the stock service times out on the first attempt (to show a journalled retry).</param>
public sealed record FulfilOrder(string OrderId, IReadOnlyList<OrderLine> Lines, bool StockHiccup);

/// <summary>One line of an order.</summary>
/// <param name="Sku">The article.</param>
/// <param name="Quantity">How many.</param>
public sealed record OrderLine(string Sku, int Quantity);

/// <summary>What reserving produced: the job's result.</summary>
/// <param name="ReservationId">The warehouse's reservation.</param>
/// <param name="Units">How many units were reserved.</param>
public sealed record StockReserved(string ReservationId, int Units);

/// <summary>The warehouse did not answer in time (retryable).</summary>
public sealed class StockServiceUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Reserves an order's stock, line by line, reporting progress. With <see cref="FulfilOrder.StockHiccup"/>
/// its first attempt fails after the first line, so the dashboard shows a failed attempt with its stack
/// trace and inner cause, then the retry that succeeds. The job then waits for the payment and parcel webhooks.
/// </summary>
public sealed class FulfilOrderHandler(IOptions<DemoOptions> options, TimeProvider time) : IJobHandler<FulfilOrder, StockReserved>
{
    /// <inheritdoc />
    public async ValueTask<StockReserved> HandleAsync(JobContext<FulfilOrder> context, CancellationToken cancellationToken)
    {
        FulfilOrder order = context.Input;
        for (int i = 0; i < order.Lines.Count; i++)
        {
            OrderLine line = order.Lines[i];
            await context.ReportProgressAsync((double)i / order.Lines.Count, $"reserving {line.Quantity} × {line.Sku}", cancellationToken);
            await Task.Delay(options.Value.StepDelay, time, cancellationToken);
            if (order.StockHiccup && context.Attempt == 1 && i == 0)
            {
                throw new StockServiceUnavailableException(
                    $"The warehouse did not confirm the reservation of {line.Sku} for order {order.OrderId}.",
                    new TimeoutException("POST /reservations timed out after 5 s."));
            }
        }

        await context.ReportProgressAsync(1, "stock reserved; waiting for payment and delivery", cancellationToken);
        return new StockReserved($"res-{order.OrderId}", order.Lines.Sum(static l => l.Quantity));
    }
}
