namespace JobManagement.Journal.Conformance.Workers;

/// <summary>The input of the conformance handler's jobs.</summary>
/// <param name="Name">A name the result echoes.</param>
public sealed record ConformanceInput(string Name);

/// <summary>The typed result of the conformance handler.</summary>
/// <param name="Name">The input's name.</param>
/// <param name="Attempt">The attempt that produced it.</param>
public sealed record ConformanceReceipt(string Name, int Attempt);

/// <summary>
/// The handler of the worker conformance suite: tells the <see cref="WorkerProbe"/> it ran, fails while
/// the probe has failures left, blocks while the probe says so (until the gate opens or its token is
/// cancelled), and returns a receipt naming the attempt.
/// </summary>
public sealed class ConformanceHandler(WorkerProbe probe) : IJobHandler<ConformanceInput, ConformanceReceipt>
{
    public async ValueTask<ConformanceReceipt> HandleAsync(JobContext<ConformanceInput> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using IDisposable running = probe.Enter(context.JobId, context.Attempt, context.Input.Name);
        if (probe.ShouldFail())
        {
            throw new InvalidOperationException($"{context.Input.Name} refused (attempt {context.Attempt})");
        }

        if (probe.Block)
        {
            try
            {
                await probe.Gate.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                probe.RecordCancelled();
                throw;
            }
        }
        else
        {
            await Task.Yield(); // let other handlers interleave
        }

        return new ConformanceReceipt(context.Input.Name, context.Attempt);
    }
}
