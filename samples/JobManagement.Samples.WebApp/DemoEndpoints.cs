namespace JobManagement.Samples.WebApp;

/// <summary>The shop's side of the demo: place an order, receive webhooks, and a home page with a button.</summary>
public static class DemoEndpoints
{
    /// <summary>The body of <c>POST /demo/orders</c> (all optional).</summary>
    /// <param name="OrderId">The order id; a new one when absent.</param>
    /// <param name="StockHiccup">Whether the first stock reservation fails; by default every other order.</param>
    public sealed record PlaceOrder(string? OrderId, bool? StockHiccup);

    /// <summary>The body of a webhook.</summary>
    /// <param name="OrderId">The order.</param>
    /// <param name="EventId">The provider's event id (the idempotency key); by default <c>{type}-{order}</c>.</param>
    public sealed record Webhook(string OrderId, string? EventId);

    /// <summary>The answer to placing an order.</summary>
    /// <param name="OrderId">The order.</param>
    /// <param name="JobId">Its fulfilment job.</param>
    /// <param name="Dashboard">The job's page in the dashboard.</param>
    public sealed record OrderPlaced(string OrderId, string JobId, string Dashboard);

    /// <summary>Maps <c>/</c> and <c>/demo/…</c>.</summary>
    /// <param name="app">The application.</param>
    /// <param name="dashboard">Where the dashboard is mapped.</param>
    public static void Map(WebApplication app, string dashboard)
    {
        RouteGroupBuilder demo = app.MapGroup("/demo");
        demo.MapPost("/orders", async (PlaceOrder? body, OrderDesk desk, HttpContext http, CancellationToken cancellationToken) =>
        {
            JobCreationResult created = await desk.PlaceAsync(body?.OrderId, body?.StockHiccup, cancellationToken);
            string orderId = created.State.Correlation.TryGetValue("orderId", out string? id) ? id : body?.OrderId ?? "";
            string page = $"{http.Request.PathBase}{dashboard}/job/{Uri.EscapeDataString(created.JobId.Value)}";
            return Results.Json(new OrderPlaced(orderId, created.JobId.Value, page), statusCode: created.IsDuplicate ? 200 : 201);
        });
        demo.MapPost("/webhooks/{eventType}", async (string eventType, Webhook body, OrderDesk desk, CancellationToken cancellationToken) =>
        {
            IngestResult result = await desk.DeliverAsync(eventType, body.OrderId, body.EventId, cancellationToken);
            return Results.Json(result, JobManagementJson.Options);
        });
        app.MapGet("/", () => Results.Content(HomePage.Html(dashboard), "text/html; charset=utf-8"));
    }
}
