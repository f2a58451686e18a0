using Microsoft.Extensions.Options;

namespace JobManagement.Samples.WebApp;

/// <summary>
/// Plays the payment provider and the carrier for orders placed in this process: once an order's stock
/// is reserved it waits <see cref="DemoOptions.WebhookDelay"/>, delivers <c>payment.captured</c>, waits
/// again and delivers <c>parcel.delivered</c> — so a visitor watches the job wait and then succeed.
/// </summary>
public sealed class WebhookSimulator(OrderDesk desk, JobEngine engine, IOptions<DemoOptions> options, TimeProvider time, ILogger<WebhookSimulator> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SimulateWebhooks)
        {
            return;
        }

        var running = new List<Task>();
        await foreach (string orderId in desk.Placed.ReadAllAsync(stoppingToken))
        {
            running.RemoveAll(static t => t.IsCompleted);
            running.Add(PlayAsync(orderId, stoppingToken));
        }

        await Task.WhenAll(running);
    }

    private async Task PlayAsync(string orderId, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (JobState state in engine.WatchAsync(JobId.Parse($"order-{orderId}"), cancellationToken))
            {
                if (state.IsTerminal)
                {
                    return;
                }

                if (state.Attempts.Any(static a => a.Outcome == AttemptOutcome.Succeeded))
                {
                    break;
                }
            }

            await Task.Delay(options.Value.WebhookDelay, time, cancellationToken);
            await desk.DeliverAsync("payment.captured", orderId, $"psp-{orderId}", cancellationToken);
            await Task.Delay(options.Value.WebhookDelay, time, cancellationToken);
            await desk.DeliverAsync("parcel.delivered", orderId, $"carrier-{orderId}", cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutting down: the job waits in the journal; POST /demo/webhooks/… completes it after a restart
        }
        catch (Exception exception) when (exception is JobManagementException or InvalidOperationException)
        {
            logger.LogWarning(exception, "The webhook simulator gave up on order {OrderId}", orderId);
        }
    }
}
