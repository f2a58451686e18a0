using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JobManagement.Samples.WebApp.Tests.Support;

/// <summary>
/// The web sample, running as its own process from its build output: real Kestrel on a free loopback
/// port (a browser cannot reach an in-memory test server), its SQLite journal in a folder the test owns.
/// </summary>
public sealed partial class SampleApp : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SampleApp(Process process) => _process = process;

    /// <summary>Gets the address the sample listens on, such as <c>http://127.0.0.1:40123</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets a client for the sample.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Gets what the sample printed so far (for failure messages).</summary>
    public string Output { get { lock (_output) { return _output.ToString(); } } }

    /// <summary>Starts the sample on the journal in <paramref name="dataDirectory"/> and waits until it says where to go.</summary>
    public static async Task<SampleApp> StartAsync(string dataDirectory, bool simulateWebhooks = true)
    {
        string directory = RepoPaths.SampleOutput;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[
            Path.Combine(directory, "JobManagement.Samples.WebApp.dll"),
            "--urls", "http://127.0.0.1:0",
            "--Demo:Database", Path.Combine(dataDirectory, "jobs.db"),
            "--Demo:SeedOrders", "0",
            "--Demo:SimulateWebhooks", simulateWebhooks ? "true" : "false",
            "--Demo:WebhookDelay", "00:00:00.500",
            "--Demo:StepDelay", "00:00:00.150",
            "--Logging:LogLevel:Default", "Warning"])
        {
            start.ArgumentList.Add(arg);
        }

        var app = new SampleApp(new Process { StartInfo = start, EnableRaisingEvents = true });
        app._process.OutputDataReceived += (_, e) => app.OnLine(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.OnLine(e.Data);
        app._process.Exited += (_, _) => app._started.TrySetException(new InvalidOperationException("The sample exited:\n" + app.Output));
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        try
        {
            app.BaseAddress = await app._started.Task.WaitAsync(StartDeadline);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        app.Http = new HttpClient { BaseAddress = app.BaseAddress };
        return app;
    }

    /// <summary>Places an order through the sample's demo endpoint; returns (order id, job id, dashboard path).</summary>
    public async Task<(string OrderId, string JobId, string Dashboard)> PlaceOrderAsync(bool stockHiccup)
    {
        HttpResponseMessage response = await Http.PostAsJsonAsync("/demo/orders", new { stockHiccup });
        response.EnsureSuccessStatusCode();
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("orderId").GetString()!, body.GetProperty("jobId").GetString()!, body.GetProperty("dashboard").GetString()!);
    }

    /// <summary>Reads a job's state through the job endpoints.</summary>
    public Task<JsonElement> GetJobAsync(string jobId) => Http.GetFromJsonAsync<JsonElement>($"/jobs-api/jobs/{jobId}");

    /// <summary>Polls the job's state until <paramref name="condition"/> holds, or fails at the deadline with the last state seen.</summary>
    public async Task<JsonElement> WaitForJobAsync(string jobId, Func<JsonElement, bool> condition, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        JsonElement state = default;
        while (!timeout.IsCancellationRequested)
        {
            state = await GetJobAsync(jobId);
            if (condition(state))
            {
                return state;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }

        throw new TimeoutException($"Job {jobId} did not reach the condition within {deadline}; last state: {state}\n{Output}");
    }

    /// <summary>Kills the process at once (a crash, as far as the journal knows) and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (OpenLine().Match(line) is { Success: true } match)
        {
            _started.TrySetResult(new Uri(match.Groups["base"].Value));
        }
    }

    [GeneratedRegex(@"^Open (?<base>http://[^ ]+?)/jobs ")]
    private static partial Regex OpenLine();
}
