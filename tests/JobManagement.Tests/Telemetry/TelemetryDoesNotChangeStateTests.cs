using System.Collections.Immutable;
using System.Diagnostics;
using JobManagement.Tests.Execution;
using JobManagement.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.Tests.Telemetry;

/// <summary>Runs alone: "without listeners" must mean that no other test's listener is active.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>Invariant 5 for the worker: whether anyone listens to spans and metrics never changes what is recorded.</summary>
[Collection(nameof(RunsAlone))]
public sealed class TelemetryDoesNotChangeStateTests
{
    [Fact]
    public async Task SameWorkload_WithAndWithoutListeners_YieldsEqualStates()
    {
        IReadOnlyList<JobState> quiet = await RunWorkloadAsync(observed: false);
        IReadOnlyList<JobState> observed = await RunWorkloadAsync(observed: true);

        observed.Select(Normalized).Should().Equal(quiet.Select(Normalized));
        quiet.Select(static s => s.Status).Should().Equal(JobStatus.Succeeded, JobStatus.Failed, JobStatus.Aborted, JobStatus.Succeeded);
    }

    /// <summary>A success after a retry, a dead letter, an abort of a running attempt, and a delayed start, on a fixed clock with fixed ids.</summary>
    private static async Task<IReadOnlyList<JobState>> RunWorkloadAsync(bool observed)
    {
        using var meters = new TestMeterFactory();
        using MeasurementCollector? measurements = observed ? new MeasurementCollector(meters) : null;
        using SpanCollector? spans = observed ? new SpanCollector() : null;
        await using WorkerHost host = await new WorkerHost(
            jobs => jobs
                .AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email", job => job.WithRetries(1, TimeSpan.Zero))
                .AddHandler<ThrowingHandler, EmailInput>("throwing", job => job.WithRetries(1, TimeSpan.Zero))
                .AddHandler<BlockingHandler, EmailInput>("blocking"),
            worker: static o => o.WorkerId = "worker-fixed",
            services: s => s.AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(meters)).StartAsync();
        host.Probe.FailuresLeft = 1;
        using Activity? request = observed ? new Activity("http-request").SetIdFormat(ActivityIdFormat.W3C).Start() : null;

        JobId retried = await CreateAsync(host, "retried", "send-email");
        await host.WaitForTerminalAsync(retried);
        JobId failed = await CreateAsync(host, "failed", "throwing");
        await host.WaitForTerminalAsync(failed);
        host.Probe.Entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // the email handler entered it already
        JobId aborted = await CreateAsync(host, "aborted", "blocking");
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await host.Engine.AbortAsync(aborted, "stop", EventId.Parse("abort-1"));
        await host.WaitForTerminalAsync(aborted);

        // The aborted run must have ended before the clock moves: else its lease renewal may tick during the
        // advance below and add a record-only entry in one run and not the other.
        await WorkerHost.EventuallyAsync(() => Task.FromResult(host.Worker.RunningCount == 0), "the aborted attempt's run has ended");
        JobId delayed = await CreateAsync(host, "delayed", "send-email", host.Time.GetUtcNow() + TimeSpan.FromMinutes(1));
        host.Time.Advance(TimeSpan.FromMinutes(2));
        await host.WaitForTerminalAsync(delayed);
        await host.StopAsync();

        List<JobState> states = [];
        foreach (JobId jobId in new[] { retried, failed, aborted, delayed })
        {
            states.Add((await host.Engine.GetStateAsync(jobId))!);
        }

        return states;
    }

    private static async Task<JobId> CreateAsync(WorkerHost host, string name, string jobType, DateTimeOffset? runAt = null) =>
        (await host.Engine.CreateJobAsync(new CreateJobRequest
        {
            JobType = JobType.Parse(jobType),
            JobId = JobId.Parse($"job-{name}"),
            RequestId = EventId.Parse($"create-{name}"),
            Input = System.Text.Json.JsonSerializer.SerializeToElement(new EmailInput(name)),
            RunAt = runAt,
        })).JobId;

    /// <summary>The state without what is random by design in each run: generated event ids and stack traces.</summary>
    private static JobState Normalized(JobState state) => state with
    {
        Transitions = [.. state.Transitions.Select(static t => t with { CausedBy = Plain(t.CausedBy) })],
        Expectations = [.. state.Expectations.Select(static e => e with { SatisfiedBy = Plain(e.SatisfiedBy), Surplus = Plain(e.Surplus) })],
        Attempts = [.. state.Attempts.Select(static a => a with { Failure = Plain(a.Failure) })],
        Failure = state.Failure is { } failure ? failure with { CausedBy = Plain(failure.CausedBy), Error = Plain(failure.Error) } : null,
    };

    private static EntryReference Plain(EntryReference reference) => reference with { EventId = default };

    private static ImmutableArray<EntryReference> Plain(ImmutableArray<EntryReference> references) => [.. references.Select(Plain)];

    private static ExecutionFailure? Plain(ExecutionFailure? failure) =>
        failure is null ? null : failure with { StackTrace = null, InnerCauses = [.. failure.InnerCauses.Select(static c => Plain(c)!)] };
}
