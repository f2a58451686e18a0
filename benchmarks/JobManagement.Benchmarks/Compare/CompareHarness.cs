using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.Benchmarks.Compare;

/// <summary>
/// The peer comparison: in one process, several rounds, each timing our engine and a MassTransit 8
/// saga state machine (in-memory transport, in-memory saga repository) consuming the same number
/// of correlated events spread over the same number of already-created jobs/sagas. Setup
/// (creating jobs or sagas, building events, starting the bus) is not timed. Prints each round,
/// the medians and the ratios.
/// </summary>
/// <remarks>
/// Two clocks: wall time (Stopwatch), and the process's CPU time over the same interval. On a
/// busy machine wall time also counts other processes' turns on the cores; CPU time counts only
/// the work this process did (all its threads: MassTransit's consumers, both runtimes' GC).
/// </remarks>
internal static class CompareHarness
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(CompareOptions options)
    {
        Console.WriteLine($"compare: {options.Events:N0} events over {options.Jobs:N0} jobs/sagas, {options.Rounds} rounds (+1 warm-up), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine("          JobEngine events/s (wall | per CPU-s)   MassTransit saga events/s (wall | per CPU-s)   ratio (wall | CPU)   JobEngine GC pauses");
        List<(Measurement Ours, Measurement Theirs)> rounds = [];
        for (int round = 0; round <= options.Rounds; round++)
        {
            Measurement ours = await TimeEngineAsync(options, round);
            Measurement theirs = await TimeMassTransitAsync(options);
            Print(round == 0 ? "warm-up" : $"round {round}", ours, theirs);
            if (round > 0)
            {
                rounds.Add((ours, theirs));
            }
        }

        Print("median", Median(rounds.Select(static r => r.Ours)), Median(rounds.Select(static r => r.Theirs)));
        return 0;
    }

    /// <summary>Our engine, one thread, awaiting each ingest in turn.</summary>
    private static async Task<Measurement> TimeEngineAsync(CompareOptions options, int round)
    {
        using JobEngine engine = Workload.CreateEngine(new InMemoryJobEventJournal());
        await Workload.CreateJobsAsync(engine, options.Jobs);
        IncomingEvent[] events = Workload.Events(options.Events, options.Jobs, $"round{round}");
        Collect();

        var clock = Clock.Start();
        int applied = await Workload.IngestAllAsync(engine, events);
        Measurement measured = clock.Stop(options.Events);
        if (applied != options.Events)
        {
            throw new InvalidOperationException($"JobEngine applied {applied} of {options.Events} events.");
        }

        return measured;
    }

    /// <summary>
    /// The peer: publish every event (in concurrent batches, so publishing is not the bottleneck) and
    /// stop the clock when the saga has handled the last one.
    /// </summary>
    private static async Task<Measurement> TimeMassTransitAsync(CompareOptions options)
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
            var clock = Clock.Start();
            await PublishAsync(bus, events);
            await consumed.WaitAsync(Patience);
            return clock.Stop(options.Events);
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

    private static void Print(string label, Measurement ours, Measurement theirs) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {label,-8}  {ours.WallRate,12:N0} | {ours.CpuRate,12:N0}             {theirs.WallRate,10:N0} | {theirs.CpuRate,10:N0}                  {ours.WallRate / theirs.WallRate,5:N1}x | {ours.CpuRate / theirs.CpuRate,5:N1}x     {ours.GcShare,5:P0}"));

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static Measurement Median(IEnumerable<Measurement> values)
    {
        Measurement[] all = [.. values];
        return new Measurement(Median(all.Select(static m => m.WallRate)), Median(all.Select(static m => m.CpuRate)), Median(all.Select(static m => m.GcShare)));
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Events per wall-clock second, events per CPU-second of the process, and the share of wall time in GC pauses.</summary>
    private readonly record struct Measurement(double WallRate, double CpuRate, double GcShare);

    private readonly record struct Clock(long Started, TimeSpan CpuBefore, TimeSpan PausedBefore)
    {
        public static Clock Start() => new(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime, GC.GetTotalPauseDuration());

        public Measurement Stop(int events)
        {
            TimeSpan wall = Stopwatch.GetElapsedTime(Started);
            TimeSpan cpu = Environment.CpuUsage.TotalTime - CpuBefore;
            TimeSpan paused = GC.GetTotalPauseDuration() - PausedBefore;
            return new Measurement(events / wall.TotalSeconds, events / cpu.TotalSeconds, paused / wall);
        }
    }
}
