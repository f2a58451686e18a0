using Microsoft.Extensions.Hosting;

namespace JobManagement;

/// <summary>Builds the <see cref="JobIndex"/> once when the host starts, in the background, so the first query does not pay for the rebuild.</summary>
internal sealed class JobIndexWarmup(JobIndex index) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await index.CatchUpAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping before the index was built: the first query builds it
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // An unreachable or broken journal must not stop the host (a failed BackgroundService does by default):
            // the first query reports it to its caller.
        }
    }
}
