using Microsoft.Extensions.Options;

namespace JobManagement.Samples.WebApp;

/// <summary>Places <see cref="DemoOptions.SeedOrders"/> orders when the journal holds no job yet, so the dashboard has something to show.</summary>
public sealed class DemoSeeder(OrderDesk desk, JobIndex index, IOptions<DemoOptions> options) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.SeedOrders <= 0 || (await index.CountAsync(cancellationToken: stoppingToken)).Total > 0)
        {
            return;
        }

        for (int i = 0; i < options.Value.SeedOrders; i++)
        {
            await desk.PlaceAsync(orderId: null, stockHiccup: i == 1, stoppingToken);
        }
    }
}
