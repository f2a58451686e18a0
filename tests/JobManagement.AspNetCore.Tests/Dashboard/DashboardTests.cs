using System.Net;
using System.Text.RegularExpressions;
using JobManagement.AspNetCore.Tests.Support;

namespace JobManagement.AspNetCore.Tests.Dashboard;

public sealed partial class DashboardTests
{
    private const string Page = JobApiFactory.DashboardPrefix + "/";

    [Theory]
    [InlineData(JobApiFactory.DashboardPrefix)]
    [InlineData(JobApiFactory.DashboardPrefix + "/")]
    [InlineData(JobApiFactory.DashboardPrefix + "/job/order-42")]
    public async Task Page_Local_IsHtmlWithTheApiAndToken(string path)
    {
        using var factory = new JobApiFactory();

        HttpResponseMessage response = await factory.CreateClient().GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        string html = await response.Content.ReadAsStringAsync();
        html.Should().Contain($"""<meta name="jm-api" content="{JobApiFactory.Prefix}">""")
            .And.Contain($"""<meta name="jm-base" content="{JobApiFactory.DashboardPrefix}">""")
            .And.MatchRegex("""<meta name="jm-csrf" content="[A-Za-z0-9_-]{43}">""");
        response.Headers.CacheControl!.NoStore.Should().BeTrue("the page holds the token");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'none'").And.Contain("frame-ancestors 'none'");
    }

    [Fact]
    public async Task PageAndAssets_FetchNothingFromElsewhere()
    {
        using var factory = new JobApiFactory();
        HttpClient client = factory.CreateClient();
        string html = await client.GetStringAsync(Page);

        List<string> assets = [.. AssetReference().Matches(html).Select(static m => m.Groups["url"].Value).Where(static u => u.Contains("/assets/", StringComparison.Ordinal)).Distinct()];
        assets.Should().BeEquivalentTo(
            "/dashboard/assets/app.js", "/dashboard/assets/app.css", "/dashboard/assets/favicon.svg");
        foreach (string asset in assets.Prepend(Page))
        {
            // The SVG's xmlns names a namespace; nothing is fetched from it.
            (await client.GetStringAsync(asset)).Replace("xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal)
                .Should().NotMatchRegex("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}", "the dashboard loads nothing from a CDN or another host");
        }
    }

    [Theory]
    [InlineData("app.js", "text/javascript")]
    [InlineData("app.css", "text/css")]
    [InlineData("favicon.svg", "image/svg+xml")]
    public async Task Asset_IsEmbeddedAndRevalidatedByETag(string name, string mediaType)
    {
        using var factory = new JobApiFactory();
        HttpClient client = factory.CreateClient();
        string path = $"{JobApiFactory.DashboardPrefix}/assets/{name}";

        HttpResponseMessage first = await client.GetAsync(path);
        var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        HttpResponseMessage second = await client.SendAsync(again);

        typeof(JobEndpointsOptions).Assembly.GetManifestResourceNames().Should().Contain($"JobManagement.AspNetCore.Dashboard.{name}");
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        first.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
        (await first.Content.ReadAsByteArrayAsync()).Should().NotBeEmpty();
        second.StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    [Theory]
    [InlineData("index.html")]
    [InlineData("nope.js")]
    [InlineData("..%2Fapp.js")]
    public async Task Asset_UnknownOrThePageTemplate_Is404(string name)
    {
        using var factory = new JobApiFactory();

        HttpResponseMessage response = await factory.CreateClient().GetAsync($"{JobApiFactory.DashboardPrefix}/assets/{name}");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Page)]
    [InlineData(JobApiFactory.DashboardPrefix + "/job/order-42")]
    [InlineData(JobApiFactory.DashboardPrefix + "/assets/app.js")]
    public async Task Dashboard_OffLocalhost_Is403(string path)
    {
        using var factory = new JobApiFactory();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(JobApiFactory.RemoteIpHeader, "203.0.113.7");

        HttpResponseMessage response = await factory.CreateClient().SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(Page)]
    [InlineData(JobApiFactory.Prefix + "/jobs")]
    public async Task LocalRequest_NamingAnotherHost_Is403(string path)
    {
        // DNS rebinding: another site's name pointed at 127.0.0.1 reaches us from loopback, same-origin with itself.
        using var factory = new JobApiFactory();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "attacker.example:5080";

        HttpResponseMessage response = await factory.CreateClient().SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("[::1]:5080")]
    [InlineData("app.localhost")]
    public async Task LocalRequest_NamingALoopbackHost_IsServed(string host)
    {
        using var factory = new JobApiFactory();
        var request = new HttpRequestMessage(HttpMethod.Get, Page);
        request.Headers.Host = host;

        HttpResponseMessage response = await factory.CreateClient().SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [GeneratedRegex("""(?:href|src)="(?<url>[^"]+)""")]
    private static partial Regex AssetReference();
}
