using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using JobManagement.AspNetCore.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.AspNetCore.Tests.Dashboard;

public sealed partial class CrossSiteRequestTests
{
    private const string Csrf = "X-JobManagement-Csrf";

    public static TheoryData<string, string?, string?, bool> CrossSite => new()
    {
        // origin, sec-fetch-site, send the token?
        { "cross-site form post", "https://attacker.example", "cross-site", false },
        { "cross-site fetch with a guessed token", "https://attacker.example", "cross-site", true },
        { "same-site subdomain", "http://evil.localhost", "same-site", true },
        { "foreign origin, no fetch metadata", "https://attacker.example", null, true },
        { "opaque origin (sandboxed frame)", "null", null, true },
        { "same origin without the token", "http://localhost", "same-origin", false },
    };

    [Theory]
    [MemberData(nameof(CrossSite))]
    public async Task BrowserWrite_NotSameOriginWithToken_Is403AndAppendsNothing(string scenario, string? origin, string? fetchSite, bool sendToken)
    {
        using var factory = new JobApiFactory();
        HttpClient client = factory.CreateClient();
        string jobId = await client.CreateOrderAsync("cs-1");
        string token = sendToken ? await TokenAsync(client) : "";
        long before = await factory.Journal.CountEntriesAsync();

        HttpResponseMessage form = await client.SendAsync(Abort(jobId, origin, fetchSite, token, "application/x-www-form-urlencoded", "reason=pwned"));
        HttpResponseMessage json = await client.SendAsync(Abort(jobId, origin, fetchSite, token, "application/json", """{"reason":"pwned"}"""));
        HttpResponseMessage replay = await client.SendAsync(Post($"/jobs/{jobId}/replay", origin, fetchSite, token, content: null));

        // A form's body is not JSON: routing refuses it first (415); a JSON or empty body reaches the check (403).
        form.StatusCode.Should().BeOneOf(HttpStatusCode.UnsupportedMediaType, HttpStatusCode.Forbidden);
        await json.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await replay.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await factory.Journal.CountEntriesAsync()).Should().Be(before, scenario);
    }

    [Fact]
    public async Task BrowserWrite_WithACookieButNoToken_Is403()
    {
        using var factory = new JobApiFactory();
        HttpClient client = factory.CreateClient();
        string jobId = await client.CreateOrderAsync("cs-2");
        HttpRequestMessage request = Abort(jobId, null, null, null, "application/json", """{"reason":"x"}""");
        request.Headers.Add("Cookie", "session=abc");

        HttpResponseMessage response = await client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task BrowserWrite_SameOriginWithThePagesToken_IsApplied()
    {
        using var factory = new JobApiFactory();
        HttpClient client = factory.CreateClient();
        string jobId = await client.CreateOrderAsync("cs-3");

        HttpResponseMessage response = await client.SendAsync(Abort(jobId, "http://localhost", "same-origin", await TokenAsync(client), "application/json", """{"reason":"changed my mind"}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("state").GetProperty("status").GetString().Should().Be("aborted");
    }

    [Fact]
    public async Task ApiClientWrite_WithoutBrowserHeaders_NeedsNoToken()
    {
        using var factory = new JobApiFactory();
        HttpClient client = factory.CreateClient();
        string jobId = await client.CreateOrderAsync("cs-4");

        HttpResponseMessage response = await client.SendAsync(Abort(jobId, null, null, null, "application/json", """{"reason":"ops"}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ProtectionOff_CrossSiteWrite_IsLeftToTheHost()
    {
        using JobApiFactory factory = JobApiFactory.With(services: static s => s.AddJobEndpoints(static o => o.ProtectAgainstCrossSiteRequests = false));
        HttpClient client = factory.CreateClient();
        string jobId = await client.CreateOrderAsync("cs-5");

        HttpResponseMessage response = await client.SendAsync(Abort(jobId, "https://attacker.example", "cross-site", null, "application/json", """{"reason":"host decides"}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BrowserRead_CrossSite_IsNotRefusedByThisCheck()
    {
        // Reads change nothing; the browser's same-origin policy keeps another site from reading the answer.
        using var factory = new JobApiFactory();
        var request = new HttpRequestMessage(HttpMethod.Get, JobApiFactory.Prefix + "/summary");
        request.Headers.Add("Origin", "https://attacker.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        HttpResponseMessage response = await factory.CreateClient().SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    private static HttpRequestMessage Abort(string jobId, string? origin, string? fetchSite, string? token, string contentType, string body) =>
        Post($"/jobs/{jobId}/abort", origin, fetchSite, token, new StringContent(body, Encoding.UTF8, contentType));

    private static HttpRequestMessage Post(string path, string? origin, string? fetchSite, string? token, HttpContent? content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, JobApiFactory.Prefix + path) { Content = content };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Add(Csrf, token);
        }

        return request;
    }

    private static async Task<string> TokenAsync(HttpClient client) =>
        Token().Match(await client.GetStringAsync(JobApiFactory.DashboardPrefix + "/")).Groups[1].Value;

    [GeneratedRegex("""<meta name="jm-csrf" content="([^"]+)">""")]
    private static partial Regex Token();
}
