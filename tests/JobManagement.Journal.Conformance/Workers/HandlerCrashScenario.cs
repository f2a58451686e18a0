using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace JobManagement.Journal.Conformance.Workers;

/// <summary>
/// The SIGKILL test of the worker, for any durable journal: a child process (JobManagement.CrashChild in
/// its handler mode) runs a worker over the journal and prints "started &lt;job&gt; &lt;attempt&gt; ." when a
/// handler starts and "succeeded &lt;job&gt; ." when a success is acknowledged; it is killed with SIGKILL
/// right after a seeded random number of handler starts, the journal is checked, and a new child is started
/// on the same storage; finally a child runs to completion ("done"). Checks: every job ends Succeeded; every
/// acknowledged success has exactly one applied <c>job.attempt.succeeded</c>; every attempt that was running
/// at a kill ends Interrupted (taken over after its lease expired) and is followed by a later attempt;
/// sequences are contiguous and every stream projects to the engine's state.
/// Cycles: 5, or JM_HANDLER_CRASH_CYCLES for a soak; JM_CRASH_SEED replays a seed.
/// </summary>
public sealed class HandlerCrashScenario
{
    private readonly string _childDll;
    private readonly Func<string, IReadOnlyList<string>> _childArguments;
    private readonly Action<JobEngineBuilder> _configureReader;
    private readonly JobType _jobType;
    private readonly IReadOnlyList<JobId> _jobs;
    private readonly ITestOutputHelper _output;
    private readonly HashSet<JobId> _acknowledged = [];
    private readonly Dictionary<JobId, int> _starts = [];
    private readonly HashSet<(JobId Job, int Attempt)> _runningAtKill = [];

    /// <param name="childDll">The crash child's dll.</param>
    /// <param name="childArguments">The child's arguments for a run tag (mode, storage, job count, tag).</param>
    /// <param name="configureReader">Chooses the same journal and registers the same handler (for its plan), for the test's own engine.</param>
    /// <param name="jobType">The job type the child runs.</param>
    /// <param name="jobs">The ids of the jobs the child creates.</param>
    /// <param name="output">Where the seed and the counts are reported.</param>
    public HandlerCrashScenario(string childDll, Func<string, IReadOnlyList<string>> childArguments, Action<JobEngineBuilder> configureReader, JobType jobType, IReadOnlyList<JobId> jobs, ITestOutputHelper output)
    {
        _childDll = childDll;
        _childArguments = childArguments;
        _configureReader = configureReader;
        _jobType = jobType;
        _jobs = jobs;
        _output = output;
    }

    /// <summary>Gets how many kill cycles to run: 5, or JM_HANDLER_CRASH_CYCLES.</summary>
    public static int Cycles { get; } = int.TryParse(Environment.GetEnvironmentVariable("JM_HANDLER_CRASH_CYCLES"), out int c) && c > 0 ? c : 5;

    /// <summary>Gets how many jobs to give the child, so that work is left for every cycle (each kill comes within 8 handler starts).</summary>
    public static int JobCount => Math.Max(30, Cycles * 8);

    public async Task RunAsync()
    {
        int cycles = Cycles;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("JM_CRASH_SEED"), out int s) ? s : Random.Shared.Next();
        _output.WriteLine($"handler crash test seed {seed} (replay with JM_CRASH_SEED={seed}), {cycles} cycles, {_jobs.Count} jobs");
        var random = new Random(seed);
        int kills = 0;
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            int killAfterStarts = random.Next(1, 9);
            bool done = await RunChildAsync($"c{cycle}", killAfterStarts);
            string context = $"seed {seed}, cycle {cycle}, killed after {killAfterStarts} handler starts";
            if (done)
            {
                _output.WriteLine($"cycle {cycle}: the child finished every job before the kill");
                break;
            }

            kills++;
            await using ServiceProvider reader = BuildReader();
            await RecordRunningAttemptsAsync(reader);
            await VerifyAsync(reader, context, final: false);
        }

        (await RunChildAsync("final", killAfterStarts: null)).Should().BeTrue("the last child runs every job to its end");
        await using (ServiceProvider reader = BuildReader())
        {
            await VerifyAsync(reader, $"seed {seed}, final", final: true);
        }

        int duplicates = _starts.Values.Sum(static n => n - 1);
        _output.WriteLine($"{kills} kills; {_runningAtKill.Count} attempts running at a kill (all taken over); {_acknowledged.Count} successes acknowledged; {_starts.Values.Sum()} handler starts for {_jobs.Count} jobs ({duplicates} re-runs)");
        if (kills > 0)
        {
            _runningAtKill.Should().NotBeEmpty($"each kill comes right after a handler started, so some attempt was running (seed {seed})");
        }
    }

    private ServiceProvider BuildReader()
    {
        var services = new ServiceCollection();
        JobEngineBuilder jobs = services.AddJobEngine(static _ => { });
        _configureReader(jobs);
        return services.BuildServiceProvider();
    }

    /// <summary>Runs a child until it has started <paramref name="killAfterStarts"/> handlers (then SIGKILL), or until it prints "done".</summary>
    /// <returns>Whether the child finished every job.</returns>
    private async Task<bool> RunChildAsync(string tag, int? killAfterStarts)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(_childDll);
        foreach (string argument in _childArguments(tag))
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start)!;
        Task<string> errors = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int starts = 0;
        bool done = false;
        string? line;
        try
        {
            while ((line = await child.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
            {
                string[] parts = line.Split(' ');
                if (line == "done")
                {
                    done = true;
                }
                else if (parts is ["started", var job, var attempt, "."])
                {
                    JobId jobId = JobId.Parse(job);
                    _starts[jobId] = _starts.GetValueOrDefault(jobId) + 1;
                    _ = int.Parse(attempt, CultureInfo.InvariantCulture);
                    if (++starts == killAfterStarts)
                    {
                        child.Kill(entireProcessTree: true); // SIGKILL on Linux: no flush, no cleanup, no interrupted facts
                    }
                }
                else if (parts is ["succeeded", var succeeded, "."])
                {
                    _acknowledged.Add(JobId.Parse(succeeded));
                }
                else if (parts is ["ended", var ended, var status, "."])
                {
                    throw new Xunit.Sdk.XunitException($"job {ended} ended {status}, not Succeeded");
                }
            }

            await child.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }

        if (!done && starts < killAfterStarts.GetValueOrDefault(int.MaxValue))
        {
            throw new InvalidOperationException($"The child ({tag}) exited on its own after {starts} handler starts (exit code {child.ExitCode}): {await errors}");
        }

        return done;
    }

    /// <summary>Notes, right after a kill and before any restart, which attempts the journal shows running.</summary>
    private async Task RecordRunningAttemptsAsync(ServiceProvider reader)
    {
        JobEngine engine = reader.GetRequiredService<JobEngine>();
        foreach (JobId jobId in _jobs)
        {
            if (await engine.GetStateAsync(jobId) is { Attempts: [.., { Outcome: AttemptOutcome.Running } running] })
            {
                _runningAtKill.Add((jobId, running.Number));
            }
        }
    }

    private async Task VerifyAsync(ServiceProvider reader, string context, bool final)
    {
        JobEngine engine = reader.GetRequiredService<JobEngine>();
        IJobEventJournal journal = reader.GetRequiredService<IJobEventJournal>();
        JobPlan plan = reader.GetRequiredService<JobPlanCatalog>().Get(_jobType);
        foreach (JobId jobId in _jobs)
        {
            if (await journal.GetStreamVersionAsync(jobId) == 0)
            {
                final.Should().BeFalse($"job {jobId} exists at the end ({context})");
                continue;
            }

            JobState state = (await engine.GetStateAsync(jobId))!;
            StreamChecks stream = await StreamChecks.ReadAsync(journal, plan, jobId);
            stream.ContiguousSequences.Should().BeTrue($"job {jobId} has contiguous sequences ({context})");
            stream.Projected.Should().Be(state, $"job {jobId}'s stream projects to the engine's state ({context})");
            stream.MaxRunningAtOnce.Should().BeLessThanOrEqualTo(1, $"job {jobId} never has two running attempts ({context})");
            stream.AppliedSucceeded.Should().BeLessThanOrEqualTo(1, $"job {jobId} succeeds at most once ({context})");
            if (_acknowledged.Contains(jobId) || final)
            {
                state.Status.Should().Be(JobStatus.Succeeded, $"job {jobId} {(final ? "ends" : "was acknowledged")} Succeeded ({context})");
                stream.AppliedSucceeded.Should().Be(1, $"job {jobId} has exactly one applied success ({context})");
            }
        }

        if (final)
        {
            foreach ((JobId jobId, int attempt) in _runningAtKill)
            {
                JobState state = (await engine.GetStateAsync(jobId))!;
                state.Attempts[attempt - 1].Outcome.Should().Be(AttemptOutcome.Interrupted, $"attempt {attempt} of {jobId} was running at a kill, so it was taken over ({context})");
                state.Attempts.Length.Should().BeGreaterThan(attempt, $"a later attempt of {jobId} followed the one running at a kill ({context})");
            }
        }
    }
}
