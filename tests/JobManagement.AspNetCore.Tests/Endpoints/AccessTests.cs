using System.Net;
using JobManagement.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.AspNetCore.Tests.Endpoints;

public sealed class AccessTests
{
    private const string Remote = "203.0.113.7";
    private const string Policy = "jobs-admin";

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task NoPolicy_Loopback_IsServed(string address)
    {
        using var factory = new JobApiFactory();

        HttpResponseMessage response = await Send(factory.CreateClient(), HttpMethod.Get, "/jobs", address);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("GET", "/jobs")]
    [InlineData("GET", "/summary")]
    [InlineData("GET", "/dead-letters")]
    [InlineData("GET", "/jobs/some-job")]
    [InlineData("GET", "/jobs/some-job/history")]
    [InlineData("GET", "/jobs/some-job/events")]
    [InlineData("POST", "/jobs")]
    [InlineData("POST", "/events")]
    [InlineData("POST", "/jobs/some-job/abort")]
    [InlineData("POST", "/jobs/some-job/replay")]
    public async Task NoPolicy_OffLocalhost_Is403AndAppendsNothing(string method, string path)
    {
        using var factory = new JobApiFactory();
        HttpClient client = factory.CreateClient();
        long before = await factory.Journal.CountEntriesAsync();

        HttpResponseMessage response = await Send(client, new HttpMethod(method), path, Remote, """{"jobType":"order-fulfillment","requestId":"r","correlation":{"orderId":"1"},"eventId":"e","type":"payment.captured","occurredAt":"2026-01-01T00:00:00Z","reason":"x"}""");

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await factory.Journal.CountEntriesAsync()).Should().Be(before);
    }

    [Fact]
    public async Task GroupRequiresAuthorization_OffLocalhost_AuthorizationDecides()
    {
        using JobApiFactory factory = WithAuthentication(group: static g => g.RequireAuthorization(Policy));
        HttpClient client = factory.CreateClient();

        HttpResponseMessage anonymous = await Send(client, HttpMethod.Get, "/jobs", Remote);
        HttpResponseMessage user = await Send(client, HttpMethod.Get, "/jobs", Remote, user: "ann");
        HttpResponseMessage admin = await Send(client, HttpMethod.Get, "/jobs", Remote, user: "bob;admin");

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        user.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        admin.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OptionsPolicy_OffLocalhost_AuthorizationDecides()
    {
        using JobApiFactory factory = WithAuthentication(configure: static o => o.AuthorizationPolicy = Policy);
        HttpClient client = factory.CreateClient();

        HttpResponseMessage anonymous = await Send(client, HttpMethod.Get, "/summary", Remote);
        HttpResponseMessage admin = await Send(client, HttpMethod.Get, "/summary", Remote, user: "bob;admin");

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        admin.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AllowAnonymousOnTheGroup_OffLocalhost_Is403()
    {
        using JobApiFactory factory = WithAuthentication(group: static g => g.RequireAuthorization(Policy).AllowAnonymous());

        HttpResponseMessage response = await Send(factory.CreateClient(), HttpMethod.Get, "/jobs", Remote);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    private static JobApiFactory WithAuthentication(Action<Microsoft.AspNetCore.Routing.RouteGroupBuilder>? group = null, Action<JobEndpointsOptions>? configure = null) =>
        JobApiFactory.With(
            services: services =>
            {
                services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
                services.AddAuthorizationBuilder().AddPolicy(Policy, static p => p.RequireRole("admin"));
                if (configure is not null)
                {
                    services.AddJobEndpoints(configure);
                }
            },
            group: group,
            pipeline: static p => p.App.UseAuthentication().UseAuthorization());

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string address, string? body = null, string? user = null)
    {
        var request = new HttpRequestMessage(method, JobApiFactory.Prefix + path);
        request.Headers.Add(JobApiFactory.RemoteIpHeader, address);
        if (user is not null)
        {
            request.Headers.Add(HeaderAuthenticationHandler.Header, user);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }
}
