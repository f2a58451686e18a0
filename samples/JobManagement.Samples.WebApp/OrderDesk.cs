using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;

namespace JobManagement.Samples.WebApp;

/// <summary>Places orders (one <c>fulfil-order</c> job each) and delivers the shop's webhooks to the engine.</summary>
public sealed class OrderDesk(JobEngine engine, TimeProvider time)
{
    /// <summary>The job type of an order's fulfilment.</summary>
    public const string JobType = "fulfil-order";

    private static readonly string[] Skus = ["mug-blue", "tea-earl-grey", "kettle-steel", "spoon-set", "biscuits-oat"];

    private readonly Channel<string> _placed = Channel.CreateUnbounded<string>();

    /// <summary>Gets the orders placed by this process, for the webhook simulator.</summary>
    public ChannelReader<string> Placed => _placed.Reader;

    /// <summary>Places an order: creates its job, idempotent on the order id.</summary>
    /// <param name="orderId">The order, or null for a new one.</param>
    /// <param name="stockHiccup">Whether the first reservation attempt fails; null: every other order.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The job.</returns>
    public async ValueTask<JobCreationResult> PlaceAsync(string? orderId, bool? stockHiccup, CancellationToken cancellationToken)
    {
        orderId ??= NewOrderId();
        int seed = orderId.Aggregate(7, static (h, c) => (h * 31) + c);
        OrderLine[] lines = [.. Enumerable.Range(0, 2 + (Math.Abs(seed) % 3)).Select(i => new OrderLine(Skus[Math.Abs(seed + i) % Skus.Length], 1 + (i % 2)))];
        var input = new FulfilOrder(orderId, lines, stockHiccup ?? (Math.Abs(seed) % 2 == 1));
        JobCreationResult created = await engine.CreateJobAsync(new CreateJobRequest
        {
            JobType = JobManagement.JobType.Parse(JobType),
            RequestId = EventId.Parse($"checkout-{orderId}"),
            JobId = JobId.Parse($"order-{orderId}"),
            Correlation = EventAttributes.Of(("orderId", orderId)),
            Input = JsonSerializer.SerializeToElement(input, JsonSerializerOptions.Web),
        }, cancellationToken);
        if (!created.IsDuplicate)
        {
            _placed.Writer.TryWrite(orderId);
        }

        return created;
    }

    /// <summary>Delivers a webhook, as a payment provider or carrier would: routed to the order's job by correlation.</summary>
    /// <param name="eventType">The event type, such as <c>payment.captured</c>.</param>
    /// <param name="orderId">The order.</param>
    /// <param name="eventId">The provider's event id (the idempotency key), or null for <c>{type}-{order}</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What the engine did with it.</returns>
    public ValueTask<IngestResult> DeliverAsync(string eventType, string orderId, string? eventId, CancellationToken cancellationToken) =>
        engine.IngestAsync(new IncomingEvent
        {
            EventId = EventId.Parse(eventId ?? $"{eventType}-{orderId}"),
            Type = EventTypeId.Parse(eventType),
            OccurredAt = time.GetUtcNow(),
            Attributes = EventAttributes.Of(("orderId", orderId)),
        }, cancellationToken);

    private static string NewOrderId() => RandomNumberGenerator.GetInt32(100_000, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
