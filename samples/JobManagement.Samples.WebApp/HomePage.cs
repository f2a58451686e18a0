namespace JobManagement.Samples.WebApp;

/// <summary>The demo's home page: what the sample does, a button that places an order, and the way to the dashboard.</summary>
public static class HomePage
{
    /// <summary>The page.</summary>
    /// <param name="dashboard">The dashboard's path.</param>
    /// <returns>HTML.</returns>
    public static string Html(string dashboard) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Order fulfilment demo</title>
        <style>body{font-family:system-ui,sans-serif;max-width:720px;margin:40px auto;padding:0 16px;line-height:1.5}
        button{font:inherit;padding:8px 16px;border-radius:6px;border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer}
        code{background:#eef1f4;padding:1px 4px;border-radius:4px}</style></head>
        <body>
        <h1>Order fulfilment demo</h1>
        <p>Each order is a <code>fulfil-order</code> job: the worker runs a command (reserve the stock, line by line;
        every other order's first attempt times out and is retried), then the job waits for two webhooks,
        <code>payment.captured</code> and <code>parcel.delivered</code>, correlated on the order id. A simulator
        delivers them a few seconds later. Everything is in the SQLite journal: restart the app and the jobs are still there.</p>
        <p><button id="place">Place an order</button> &nbsp; or open the <a href="{{dashboard}}">dashboard</a>.</p>
        <p>Webhooks by hand: <code>curl -X POST localhost:5080/demo/webhooks/payment.captured -H 'Content-Type: application/json' -d '{"orderId":"…"}'</code></p>
        <script>
        document.getElementById("place").addEventListener("click", async () => {
          const r = await fetch("demo/orders", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
          location.href = (await r.json()).dashboard;
        });
        </script>
        </body></html>
        """;
}
