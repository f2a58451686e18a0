using JobManagement.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JobManagement.Tests.Execution;

/// <summary>The worker as the generic host sees it: resolved as an <see cref="IHostedService"/>, started, stopped, disposed.</summary>
public sealed class WorkerHostedServiceDisposalTests
{
    [Fact]
    public async Task GenericHost_WithAHandler_StartsStopsAndDisposesWithoutError()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(new HandlerProbe());
        builder.Services.AddJobEngine(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"));
        IHost host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();

        Action dispose = host.Dispose;

        dispose.Should().NotThrow("a host that started and stopped the worker disposes cleanly");
    }
}
