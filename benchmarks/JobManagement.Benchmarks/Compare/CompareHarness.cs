using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.Benchmarks.Compare;

/// <summary>
/// The peer comparison: in one process, several rounds, each timing (Stopwatch) our engine and a
/// MassTransit 8 saga state machine (in-memory transport, in-memory saga repository) consuming
/// the same number of correlated events spread over the same number of already-created
/// jobs/sagas. Setup (creating jobs or sagas, building events, starting the bus) is not timed.
/// Prints each round, the medians and the ratio.
/// </summary>
internal static class CompareHarness
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(CompareOptions options)
    {
        Console.WriteLine($"compare: {options.Events:N0} events over {options.Jobs:N0} jobs/sagas, {options.Rounds} rounds (+1 warm-up), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        List<double> ours = [];
        List<double> theirs = [];
        List<double> ourGcShare = [];
        for (int round = 0; round <= options.Rounds; round++)
        {
            (double engineRate, double gcShare) = await TimeEngineAsync(options, round);
            double sagaRate = await TimeMassTransitAsync(options);
            string label = round == 0 ? "warm-up" : $"round {round}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-8}  JobEngine {engineRate,12:N0} events/s   MassTransit saga {sagaRate,10:N0} events/s   ratio {engineRate / sagaRate,6:N1}x   (JobEngine GC pauses {gcShare,5:P0} of its time)"));
            if (round > 0)
            {
                ours.Add(engineRate);
                ourGcShare.Add(gcShare);
                theirs.Add(sagaRate);
            }
        }

        double ourMedian = Median(ours);
        double theirMedian = Median(theirs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median    JobEngine {ourMedian,12:N0} events/s   MassTransit saga {theirMedian,10:N0} events/s   ratio {ourMedian / theirMedian,6:N1}x   (JobEngine GC pauses {Median(ourGcShare),5:P0} of its time)"));
        return 0;
    }

    /// <summary>Our engine, one thread, awaiting each ingest in turn; returns events/s and the share of the time spent in GC pauses.</summary>
    private static async Task<(double Rate, double GcShare)> TimeEngineAsync(CompareOptions options, int round)
    {
        using JobEngine engine = Workload.CreateEngine(new InMemoryJobEventJournal());
        await Workload.CreateJobsAsync(engine, options.Jobs);
        IncomingEvent[] events = Workload.Events(options.Events, options.Jobs, $"round{round}");
        Collect();

        TimeSpan pausedBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        int applied = await Workload.IngestAllAsync(engine, events);
        clock.Stop();
        TimeSpan paused = GC.GetTotalPauseDuration() - pausedBefore;
        if (applied != options.Events)
        {
            throw new InvalidOperationException($"JobEngine applied {applied} of {options.Events} events.");
        }

        return (options.Events / clock.Elapsed.TotalSeconds, paused / clock.Elapsed);
    }

    /// <summary>
    /// The peer: publish every event (in concurrent batches, so publishing is not the bottleneck) and
    /// stop the clock when the saga has handled the last one.
    /// </summary>
    private static async Task<double> TimeMassTransitAsync(CompareOptions options)
    {
        var counter = new ConsumptionCounter();
        var services = new ServiceCollection();
        services.AddSingleton(counter);
        services.AddMassTransit(bus =>
        {
            bus.AddSagaStateMachine<OrderStateMachine, OrderSagaState>().InMemoryRepository();
            bus.UsingInMemory((context, transport) => transport.ConfigureEndpoints(context));
        });

        await using ServiceProvider provider = services.BuildServiceProvider();
        IBusControl bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync();
        try
        {
            Guid[] orders = [.. Enumerable.Range(0, options.Jobs).Select(static _ => Guid.NewGuid())];
            Task created = counter.Expect(orders.Length);
            await PublishAsync(bus, orders.Select(static id => new OrderCreated(id)).ToArray());
            await created.WaitAsync(Patience);

            ItemScanned[] events = new ItemScanned[options.Events];
            for (int i = 0; i < events.Length; i++)
            {
                events[i] = new ItemScanned(orders[i % orders.Length], string.Create(CultureInfo.InvariantCulture, $"scan-{i}"));
            }

            Collect();
            Task consumed = counter.Expect(events.Length);
            var clock = Stopwatch.StartNew();
            await PublishAsync(bus, events);
            await consumed.WaitAsync(Patience);
            clock.Stop();
            return options.Events / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task PublishAsync<T>(IBus bus, T[] messages)
        where T : class
    {
        const int Batch = 1_000;
        var pending = new List<Task>(Batch);
        foreach (T message in messages)
        {
            pending.Add(bus.Publish(message));
            if (pending.Count == Batch)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
