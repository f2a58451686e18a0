using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace JobManagement.PostgreSql.Tests;

/// <summary>
/// Two engines in two real processes over one PostgreSQL schema create the same jobs (same JobIds
/// and RequestIds) and deliver the same events (same EventIds) concurrently, each in its own seeded
/// random order. Neither may see an error (a conflict on the expected version is retried by the
/// engine); afterwards there is exactly one entry per (job, EventId), sequences are contiguous, and
/// both nodes and a third engine in the test process report the same state for every job.
/// The child is JobManagement.CrashChild in its "deliver" mode. JM_MULTINODE_SEED replays a run.
/// </summary>
public sealed class PostgreSqlMultiNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Jobs = 24;
    private const int EventsPerJob = 5;

    private readonly TemporarySchema _schema = new();
    private readonly ConcurrentDictionary<int, string> _errors = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [PostgreSqlFact]
    public async Task Engine_TwoProcessesDeliverSameEventsConcurrently_OneEntryPerEventAndIdenticalState()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("JM_MULTINODE_SEED"), out int s) ? s : Random.Shared.Next(int.MaxValue - 1);
        output.WriteLine($"multi-node seed {seed} (replay with JM_MULTINODE_SEED={seed})");
        const string tag = "mn";
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        // The schema is created up front, so that the nodes race on jobs and events, not on DDL.
        await _schema.Open().InitializeAsync(timeout.Token);

        using Process first = StartNode(tag, seed);
        using Process second = StartNode(tag, seed + 1);
        try
        {
            await ExpectLineAsync(first, "ready", timeout.Token);
            await ExpectLineAsync(second, "ready", timeout.Token);
            await first.StandardInput.WriteLineAsync("go");
            await second.StandardInput.WriteLineAsync("go");
            await first.StandardInput.FlushAsync(timeout.Token);
            await second.StandardInput.FlushAsync(timeout.Token);
            output.WriteLine($"node 1: {await ExpectLineAsync(first, "done", timeout.Token)}");
            output.WriteLine($"node 2: {await ExpectLineAsync(second, "done", timeout.Token)}");

            // Both have finished delivering: now each reports what it sees.
            await first.StandardInput.WriteLineAsync("report");
            await second.StandardInput.WriteLineAsync("report");
            await first.StandardInput.FlushAsync(timeout.Token);
            await second.StandardInput.FlushAsync(timeout.Token);
            Dictionary<string, string> firstStates = await ReadStatesAsync(first, timeout.Token);
            Dictionary<string, string> secondStates = await ReadStatesAsync(second, timeout.Token);
            await first.WaitForExitAsync(timeout.Token);
            await second.WaitForExitAsync(timeout.Token);
            first.ExitCode.Should().Be(0, $"node 1 succeeds (seed {seed})");
            second.ExitCode.Should().Be(0, $"node 2 succeeds (seed {seed})");

            await using ServiceProvider provider = new ServiceCollection()
                .AddJobEngine(jobs => jobs
                    .UsePostgreSqlJournal(_schema.ConnectionString, o => o.Schema = _schema.Name)
                    .AddPlan("multi-node", plan => plan.Expect("step.done", e => e.CorrelatedOn("run").Times(EventsPerJob))))
                .Services.BuildServiceProvider();
            JobEngine engine = provider.GetRequiredService<JobEngine>();
            IJobEventJournal journal = provider.GetRequiredService<IJobEventJournal>();
            IReadOnlyList<JobEventLogEntry> all = await journal.ReadAllAsync(1, 10_000, timeout.Token);

            all.Select(e => e.Position).Should().Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), $"positions are contiguous (seed {seed})");
            all.GroupBy(e => (e.JobId, e.EventId)).Should().OnlyContain(g => g.Count() == 1, $"each (job, EventId) is recorded once (seed {seed})");
            all.Select(e => e.JobId).Distinct().Should().HaveCount(Jobs, $"every event reached its job and nothing went to another stream (seed {seed})");

            for (int job = 0; job < Jobs; job++)
            {
                string run = string.Create(CultureInfo.InvariantCulture, $"{tag}-{job}");
                var jobId = JobId.Parse($"job-{run}");
                List<JobEventLogEntry> stream = [.. all.Where(e => e.JobId == jobId)];
                stream.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, stream.Count).Select(i => (long)i), $"{jobId} has contiguous sequences (seed {seed})");
                stream.Select(e => e.EventId.Value).Should().Contain(Enumerable.Range(0, EventsPerJob).Select(step => $"evt-{run}-{step}"), $"every event of {jobId} is recorded (seed {seed})");

                JobState? state = await engine.GetStateAsync(jobId, timeout.Token);
                state.Should().NotBeNull();
                state!.Status.Should().Be(JobStatus.Succeeded, $"{jobId} saw all its events (seed {seed})");
                string expected = string.Create(CultureInfo.InvariantCulture, $"{state.Status} {state.Version}");
                firstStates.Should().Contain(jobId.Value, expected, $"node 1 reports the same state for {jobId} (seed {seed})");
                secondStates.Should().Contain(jobId.Value, expected, $"node 2 reports the same state for {jobId} (seed {seed})");
            }
        }
        finally
        {
            KillIfRunning(first);
            KillIfRunning(second);
        }
    }

    private Process StartNode(string tag, int seed)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "JobManagement.CrashChild.dll"));
        start.ArgumentList.Add("deliver");
        start.ArgumentList.Add("postgres");
        start.ArgumentList.Add(_schema.ConnectionString);
        start.ArgumentList.Add(_schema.Name);
        start.ArgumentList.Add(tag);
        start.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        Process process = Process.Start(start)!;

        // Drain stderr as it comes, so a chatty child cannot block on a full pipe.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _errors.AddOrUpdate(process.Id, e.Data + Environment.NewLine, (_, previous) => previous + e.Data + Environment.NewLine);
            }
        };
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<string> ExpectLineAsync(Process node, string expected, CancellationToken cancellationToken)
    {
        string? line = await node.StandardOutput.ReadLineAsync(cancellationToken);
        if (line is null || !(line == expected || line.StartsWith(expected + " ", StringComparison.Ordinal)))
        {
            await node.WaitForExitAsync(cancellationToken);
            string error = _errors.GetValueOrDefault(node.Id) ?? string.Empty;
            throw new InvalidOperationException($"Node {node.Id} printed '{line}' instead of '{expected}' (exit code {node.ExitCode}): {error}");
        }

        return line;
    }

    private static async Task<Dictionary<string, string>> ReadStatesAsync(Process node, CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, string>();
        string? line;
        while ((line = await node.StandardOutput.ReadLineAsync(cancellationToken)) is not null)
        {
            string[] parts = line.Split(' ');
            if (parts is ["state", string job, string status, string version, "."])
            {
                states[job] = $"{status} {version}";
            }
        }

        return states;
    }

    private static void KillIfRunning(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
