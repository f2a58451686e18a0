using System.Net.Http.Json;
using JobManagement.Samples.WebApp.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace JobManagement.Samples.WebApp.Tests;

/// <summary>Debian's Chromium, headless, driven by Playwright, on the dashboard of the running web sample.</summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const float Deadline = 60_000; // ms: a generous safety net; every wait below ends on a condition

    [BrowserFact]
    public async Task JobPage_OrderPlaced_ShowsItsStoryAndMovesToSucceededLive()
    {
        using var data = new TemporaryDirectory();
        // The test delivers the webhooks itself, once the page shows the job running: on a loaded machine the
        // simulator's few seconds could pass before the page loads, and the job would never be seen running.
        await using SampleApp app = await SampleApp.StartAsync(data.Path, simulateWebhooks: false);
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = Chromium.Args,
        });
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(Deadline);
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { consoleErrors.Add(message.Text); } };
        page.PageError += (_, error) => consoleErrors.Add(error);

        // The list: counts by status, refreshed while it is open.
        await page.GotoAsync(new Uri(app.BaseAddress, "/jobs").ToString());
        await page.Locator("[data-testid=count-total] strong").WaitForAsync();
        (string orderId, string jobId, _) = await app.PlaceOrderAsync(stockHiccup: true);
        ILocator row = page.Locator($"tr[data-job='{jobId}']");
        await row.WaitForAsync();
        await page.EvaluateAsync("() => { window.jmNoReload = true; }");

        // Its page, reached by a click: running first, then Succeeded without a reload (server-sent events).
        await row.Locator("a").ClickAsync();
        await page.WaitForURLAsync($"**/jobs/job/{jobId}");
        ILocator status = page.Locator("[data-testid=job-status] .badge");
        await page.Locator("[data-testid=job-status] [data-status=running]").WaitForAsync();
        (await app.Http.PostAsJsonAsync("/demo/webhooks/payment.captured", new { orderId })).EnsureSuccessStatusCode();
        (await app.Http.PostAsJsonAsync("/demo/webhooks/parcel.delivered", new { orderId })).EnsureSuccessStatusCode();
        await page.Locator("[data-testid=job-status] [data-status=succeeded]").WaitForAsync();

        (await page.EvaluateAsync<bool>("() => window.jmNoReload === true")).Should().BeTrue("the page followed the job live, without reloading");
        (await status.TextContentAsync()).Should().Be("succeeded");
        (await page.Locator("tr[data-expectation] .tick").CountAsync()).Should().Be(2, "both webhooks satisfied their expectations");
        (await page.Locator("tr[data-attempt='1'] [data-status=failed]").CountAsync()).Should().Be(1, "the first attempt hit the stock hiccup");
        (await page.Locator("tr.attempt-error summary").First.TextContentAsync()).Should().Be("Stack trace");
        (await page.Locator("tr[data-attempt='2'] [data-status=succeeded]").CountAsync()).Should().Be(1);
        (await page.Locator("table.timeline tr.moved").CountAsync()).Should().Be(3, "created, running and succeeded were each moved by an entry");
        (await page.Locator("#live").TextContentAsync()).Should().Be("final");
        consoleErrors.Should().BeEmpty();

        await page.Locator("tr.attempt-error details").First.EvaluateAsync("d => d.open = true");
        string shot = await ScreenshotAsync(page, "dashboard-job.png");
        await page.GoBackAsync();
        await page.Locator($"tr[data-job='{jobId}'] [data-status=succeeded]").WaitForAsync();
        await ScreenshotAsync(page, "dashboard-list.png");
        output.WriteLine($"screenshots: {shot} and dashboard-list.png beside it");
    }

    [BrowserFact]
    public async Task JobPage_Abort_AsksForAReasonAndShowsItAborted()
    {
        using var data = new TemporaryDirectory();
        await using SampleApp app = await SampleApp.StartAsync(data.Path, simulateWebhooks: false);
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium.Path, Headless = true, Args = Chromium.Args });
        IPage page = await browser.NewPageAsync();
        page.SetDefaultTimeout(Deadline);
        (_, string jobId, string dashboard) = await app.PlaceOrderAsync(stockHiccup: false);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync("customer cancelled");

        await page.GotoAsync(new Uri(app.BaseAddress, dashboard).ToString());
        await page.Locator("[data-testid=abort]").ClickAsync();
        await page.Locator("[data-testid=job-status] [data-status=aborted]").WaitForAsync();

        (await page.Locator("main").TextContentAsync()).Should().Contain("customer cancelled");
        (await app.GetJobAsync(jobId)).GetProperty("abortReason").GetString().Should().Be("customer cancelled");
    }

    private static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(RepoPaths.Screenshots);
        string path = Path.Combine(RepoPaths.Screenshots, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        new FileInfo(path).Length.Should().BeGreaterThan(10_000);
        return path;
    }
}
