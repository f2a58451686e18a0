using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using EventId = JobManagement.EventId;

namespace JobManagement.CrashChild;

/// <summary>The input of a crash-test handler job.</summary>
/// <param name="Number">The job's number.</param>
public sealed record CrashWorkInput(int Number);

/// <summary>Prints "started &lt;job&gt; &lt;attempt&gt; ." (flushed) when it starts, then works for a random short while.</summary>
public sealed class CrashWorkHandler : IJobHandler<CrashWorkInput, int>
{
    public async ValueTask<int> HandleAsync(JobContext<CrashWorkInput> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        HandlerNode.Print(string.Create(CultureInfo.InvariantCulture, $"started {context.JobId} {context.Attempt} ."));
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(50, 300)), TimeProvider.System, cancellationToken); // the "work"
        return context.Input.Number;
    }
}

/// <summary>
/// The handler mode of the crash child: creates jobs <c>hjob-0</c>..<c>hjob-(n-1)</c> (caller-chosen ids and
/// request ids, so a restarted child finds the same jobs), runs the hosted worker with a 2-second lease on
/// the system clock, and prints "started &lt;job&gt; &lt;attempt&gt; ." when a handler starts and
/// "succeeded &lt;job&gt; ." once the job's success is acknowledged (its state, read back after the append,
/// is Succeeded). Prints "ready" when the worker runs and "done" when every job is terminal, then exits 0.
/// The test kills it with SIGKILL at random moments and restarts it on the same journal.
/// </summary>
public static class HandlerNode
{
    /// <summary>The job type of the crash-test handler.</summary>
    public const string JobTypeName = "crash-work";

    /// <summary>How long a claim holds a job without renewal: short, so a killed child's jobs are taken over quickly.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    private static readonly Lock ConsoleGate = new();

    /// <summary>Registers the handler (also used by the test to read the journal with the same plan).</summary>
    public static JobEngineBuilder AddCrashWork(this JobEngineBuilder jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return jobs.AddHandler<CrashWorkHandler, CrashWorkInput, int>(JobTypeName, static h => h.WithRetries(3, TimeSpan.FromMilliseconds(100)));
    }

    public static JobId JobIdOf(int number) => JobId.Parse(string.Create(CultureInfo.InvariantCulture, $"hjob-{number}"));

    public static async Task<int> RunAsync(Action<JobEngineBuilder> useJournal, int jobCount, string tag)
    {
        var services = new ServiceCollection();
        JobEngineBuilder jobs = services.AddJobEngine(jobs => jobs
            .AddCrashWork()
            .ConfigureWorker(o =>
            {
                o.WorkerId = $"child-{tag}";
                o.MaxConcurrency = 4;
                o.LeaseDuration = Lease;
                o.LeaseRenewalInterval = TimeSpan.FromMilliseconds(500);
                o.PollInterval = TimeSpan.FromMilliseconds(200);
            }));
        useJournal(jobs);

        // Not disposed: the test kills this process, and a normal exit needs no cleanup of the journal.
        ServiceProvider provider = services.BuildServiceProvider();
        JobEngine engine = provider.GetRequiredService<JobEngine>();
        for (int n = 0; n < jobCount; n++)
        {
            await engine.CreateJobAsync(new CreateJobRequest
            {
                JobType = JobType.Parse(JobTypeName),
                JobId = JobIdOf(n),
                RequestId = EventId.Parse(string.Create(CultureInfo.InvariantCulture, $"hreq-{n}")),
                Input = System.Text.Json.JsonSerializer.SerializeToElement(new CrashWorkInput(n)),
            });
        }

        Task[] watchers = [.. Enumerable.Range(0, jobCount).Select(n => WatchAsync(engine, JobIdOf(n)))];
        IHostedService[] hosted = [.. provider.GetServices<IHostedService>()];
        foreach (IHostedService service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        Print("ready");
        await Task.WhenAll(watchers);
        foreach (IHostedService service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        Print("done");
        return 0;
    }

    internal static void Print(string line)
    {
        lock (ConsoleGate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    private static async Task WatchAsync(JobEngine engine, JobId jobId)
    {
        JobState state = await engine.WaitAsync(jobId);
        if (state.Status == JobStatus.Succeeded)
        {
            Print($"succeeded {jobId} .");
        }
        else
        {
            Print($"ended {jobId} {state.Status} .");
        }
    }
}
