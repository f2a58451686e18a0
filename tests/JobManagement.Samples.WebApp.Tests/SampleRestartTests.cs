using System.Net.Http.Json;
using System.Text.Json;
using JobManagement.Samples.WebApp.Tests.Support;

namespace JobManagement.Samples.WebApp.Tests;

public sealed class SampleRestartTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sample_KilledWhileAJobWaitsForWebhooks_FindsItIntactAfterRestart()
    {
        using var data = new TemporaryDirectory();
        string jobId;
        JsonElement before;
        await using (SampleApp first = await SampleApp.StartAsync(data.Path, simulateWebhooks: false))
        {
            (_, jobId, _) = await first.PlaceOrderAsync(stockHiccup: true);
            // The command ran (after a retried failure); the job now waits for the two webhooks.
            before = await first.WaitForJobAsync(jobId, static s => s.GetProperty("attempts").EnumerateArray().Any(static a => a.GetProperty("outcome").GetString() == "succeeded"), Deadline);
        } // killed: no graceful stop

        await using SampleApp second = await SampleApp.StartAsync(data.Path, simulateWebhooks: false);
        JsonElement after = await second.GetJobAsync(jobId);
        string orderId = after.GetProperty("correlation").GetProperty("orderId").GetString()!;
        (await second.Http.PostAsJsonAsync("/demo/webhooks/payment.captured", new { orderId })).EnsureSuccessStatusCode();
        (await second.Http.PostAsJsonAsync("/demo/webhooks/parcel.delivered", new { orderId })).EnsureSuccessStatusCode();
        JsonElement done = await second.GetJobAsync(jobId);

        after.GetProperty("status").GetString().Should().Be("running");
        after.GetProperty("version").GetInt64().Should().Be(before.GetProperty("version").GetInt64());
        after.GetProperty("attempts").GetArrayLength().Should().Be(2, "the failed first attempt and its retry are in the journal");
        done.GetProperty("status").GetString().Should().Be("succeeded");
        done.GetProperty("result").GetProperty("reservationId").GetString().Should().Be($"res-{orderId}");
    }

    [Fact]
    public async Task Sample_Start_SaysWhichUrlToOpenAndServesTheDashboardThere()
    {
        using var data = new TemporaryDirectory();
        await using SampleApp app = await SampleApp.StartAsync(data.Path);

        HttpResponseMessage page = await app.Http.GetAsync("/jobs");
        HttpResponseMessage home = await app.Http.GetAsync("/");

        app.Output.Should().Contain($"Open {app.BaseAddress.ToString().TrimEnd('/')}/jobs");
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await page.Content.ReadAsStringAsync()).Should().Contain("""<meta name="jm-api" content="/jobs-api">""");
        (await home.Content.ReadAsStringAsync()).Should().Contain("Place an order");
    }
}
