namespace JobManagement.Samples.WebApp;

/// <summary>The demo's settings (section <c>Demo</c> of appsettings.json; override with <c>--Demo:WebhookDelay=00:00:01</c>).</summary>
public sealed class DemoOptions
{
    /// <summary>Gets or sets the SQLite file, relative to the content root. Default <c>data/jobs.db</c>.</summary>
    public string Database { get; set; } = "data/jobs.db";

    /// <summary>Gets or sets a value indicating whether the webhook simulator delivers each order's payment and parcel webhooks. Default true.</summary>
    public bool SimulateWebhooks { get; set; } = true;

    /// <summary>Gets or sets how long the simulator waits before each webhook. Default 3 s.</summary>
    public TimeSpan WebhookDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets or sets how long the handler takes per order line. Default 0.6 s.</summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(600);

    /// <summary>Gets or sets how many orders are placed when the journal has no job at all. Default 3.</summary>
    public int SeedOrders { get; set; } = 3;
}
