using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JobManagement.AspNetCore.Tests.Support;

/// <summary>
/// A tiny web app, built in the test (no Program class): the job engine with the test plans and
/// handlers, the job endpoints under <see cref="Prefix"/> and the dashboard under <see cref="DashboardPrefix"/>, served by the test server. Requests come
/// from the loopback address unless they carry <see cref="RemoteIpHeader"/>.
/// </summary>
public sealed class JobApiFactory : WebApplicationFactory<JobApiFactory>
{
    /// <summary>The endpoints' prefix.</summary>
    public const string Prefix = "/api";

    /// <summary>The dashboard's prefix.</summary>
    public const string DashboardPrefix = "/dashboard";

    /// <summary>A request header the test app turns into the connection's remote address.</summary>
    public const string RemoteIpHeader = "X-Test-Remote-Ip";

    private readonly Action<IServiceCollection>? _services;
    private readonly Action<RouteGroupBuilder>? _group;
    private readonly Action<WebApplicationLike>? _pipeline;

    public JobApiFactory()
        : this(null)
    {
    }

    private JobApiFactory(Action<IServiceCollection>? services, Action<RouteGroupBuilder>? group = null, Action<WebApplicationLike>? pipeline = null)
    {
        _services = services;
        _group = group;
        _pipeline = pipeline;
    }

    /// <summary>A test app with more services, conventions on the endpoint group, or middleware before the endpoints.</summary>
    public static JobApiFactory With(Action<IServiceCollection>? services = null, Action<RouteGroupBuilder>? group = null, Action<WebApplicationLike>? pipeline = null) =>
        new(services, group, pipeline);

    public JobEngine Engine => Services.GetRequiredService<JobEngine>();

    public IJobEventJournal Journal => Services.GetRequiredService<IJobEventJournal>();

    // The test assembly has no content of its own: without this the factory looks for a folder named after it beside the solution.
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(AppContext.BaseDirectory);

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder()
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(services =>
                {
                    services.AddRouting();
                    services.AddJobEngine(TestPlans.Register);
                    services.AddJobEndpoints();
                    services.AddHealthChecks().AddJobEngineHealthCheck();
                    _services?.Invoke(services);
                })
                .Configure(app =>
                {
                    app.Use(static (context, next) =>
                    {
                        context.Connection.RemoteIpAddress = context.Request.Headers.TryGetValue(RemoteIpHeader, out var ip) ? IPAddress.Parse(ip!) : IPAddress.Loopback;
                        return next(context);
                    });
                    app.UseRouting();
                    _pipeline?.Invoke(new WebApplicationLike(app));
                    app.UseEndpoints(endpoints =>
                    {
                        RouteGroupBuilder group = endpoints.MapJobEndpoints(Prefix);
                        _group?.Invoke(group);
                        endpoints.MapJobDashboard(DashboardPrefix, Prefix);
                        endpoints.MapHealthChecks("/health");
                    });
                }));
}

/// <summary>Lets a test add middleware between routing and the endpoints (authentication, authorization).</summary>
public sealed class WebApplicationLike(IApplicationBuilder app)
{
    public IApplicationBuilder App { get; } = app;
}
