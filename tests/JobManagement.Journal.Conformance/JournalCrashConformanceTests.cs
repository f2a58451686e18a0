using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance;

/// <summary>
/// Kills a real child process (JobManagement.CrashChild) with SIGKILL while it appends, then reopens the
/// storage and checks that every acknowledged append is there, no batch is torn, positions and
/// sequences are contiguous and every job projects. 20 cycles by default (JM_CRASH_CYCLES for a longer
/// soak; JM_CRASH_SEED to replay). Each durable journal's test project subclasses it in a few lines.
/// </summary>
/// <param name="output">Where the seed is printed.</param>
public abstract class JournalCrashConformanceTests(ITestOutputHelper output)
{
    /// <summary>Gets why the journal cannot be tested here (for example: no server locally), or null.</summary>
    protected virtual string? UnavailableReason => null;

    /// <summary>The child's arguments after its path: the journal kind and where its storage is.</summary>
    /// <returns>The arguments.</returns>
    protected abstract IEnumerable<string> ChildArguments();

    /// <summary>Chooses the journal under test, over the storage the child wrote.</summary>
    /// <param name="jobs">The engine builder.</param>
    /// <returns>The same builder.</returns>
    protected abstract JobEngineBuilder UseJournal(JobEngineBuilder jobs);

    [SkippableFact]
    public async Task Journal_ChildKilledMidAppend_EveryAcknowledgedAppendSurvivesAndNothingIsTorn()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        int cycles = int.TryParse(Environment.GetEnvironmentVariable("JM_CRASH_CYCLES"), out int c) ? c : 20;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("JM_CRASH_SEED"), out int s) ? s : Random.Shared.Next();
        output.WriteLine($"crash test seed {seed} (replay with JM_CRASH_SEED={seed}), {cycles} cycles");
        var random = new Random(seed);
        var acknowledged = new List<string[]>();

        for (int cycle = 0; cycle < cycles; cycle++)
        {
            int killAfter = random.Next(1, 150);
            acknowledged.AddRange(await RunChildUntilKilledAsync($"c{cycle}", killAfter));
            await VerifyAsync(acknowledged, $"seed {seed}, cycle {cycle}, killed after {killAfter} acks");
        }
    }

    private async Task<List<string[]>> RunChildUntilKilledAsync(string tag, int killAfter)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "JobManagement.CrashChild.dll"));
        foreach (string argument in ChildArguments())
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add(tag);

        using Process child = Process.Start(start)!;
        var lines = new List<string[]>();
        int acks = 0;
        string? line;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while ((line = await child.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
        {
            if (line == "ready")
            {
                continue;
            }

            string[] parts = line.Split(' ');
            if (parts.Length >= 3 && parts[^1] == ".")
            {
                lines.Add(parts);
                if (++acks == killAfter)
                {
                    child.Kill(entireProcessTree: true); // SIGKILL on Linux: no flush, no cleanup
                }
            }
        }

        await child.WaitForExitAsync(timeout.Token);
        if (acks < killAfter)
        {
            string error = await child.StandardError.ReadToEndAsync(timeout.Token);
            throw new InvalidOperationException($"The child exited on its own after {acks} acks (exit code {child.ExitCode}): {error}");
        }

        return lines;
    }

    private async Task VerifyAsync(List<string[]> acknowledged, string context)
    {
        await using ServiceProvider provider = new ServiceCollection()
            .AddJobEngine(jobs => UseJournal(jobs).AddPlan("crash-test", plan => plan.Expect("step.done", e => e.CorrelatedOn("run").Times(3))))
            .Services.BuildServiceProvider();
        JobEngine engine = provider.GetRequiredService<JobEngine>();
        IJobEventJournal journal = provider.GetRequiredService<IJobEventJournal>();

        List<JobEventLogEntry> all = [];
        for (long from = 1; ;)
        {
            IReadOnlyList<JobEventLogEntry> page = await journal.ReadAllAsync(from, 5000);
            all.AddRange(page);
            if (page.Count < 5000)
            {
                break;
            }

            from = page[^1].Position + 1;
        }

        // Every acknowledged append is there (checked against one read of the whole journal, so a
        // cycle costs one scan rather than one query per acknowledgement so far).
        var streams = all.GroupBy(e => e.JobId).ToDictionary(g => g.Key.Value, g => g.Count());
        var eventIds = all.Select(e => e.EventId.Value).ToHashSet();
        foreach (string[] ack in acknowledged)
        {
            switch (ack[0])
            {
                case "job":
                    streams.Should().ContainKey(ack[1], $"job {ack[1]} was acknowledged ({context})");
                    break;
                case "event":
                    eventIds.Should().Contain(ack[1], $"event {ack[1]} was acknowledged ({context})");
                    break;
                case "batch":
                    streams.Should().Contain(ack[1], int.Parse(ack[2], CultureInfo.InvariantCulture), $"batch {ack[1]} was acknowledged ({context})");
                    break;
            }
        }

        all.Select(e => e.Position).Should().Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), $"positions are contiguous ({context})");
        foreach (IGrouping<JobId, JobEventLogEntry> stream in all.GroupBy(e => e.JobId))
        {
            stream.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, stream.Count()).Select(i => (long)i), $"stream {stream.Key} has contiguous sequences ({context})");
            if (stream.Key.Value.StartsWith("batch-", StringComparison.Ordinal))
            {
                int expected = int.Parse(stream.First().Attributes["count"], CultureInfo.InvariantCulture);
                stream.Should().HaveCount(expected, $"batch {stream.Key} is whole, never torn ({context})");
            }
            else if (stream.Key.Value.StartsWith("job-", StringComparison.Ordinal))
            {
                JobState? state = await engine.GetStateAsync(stream.Key);
                state.Should().NotBeNull($"job {stream.Key} projects ({context})");
                state!.Transitions.Should().NotBeEmpty();
            }
        }
    }
}
