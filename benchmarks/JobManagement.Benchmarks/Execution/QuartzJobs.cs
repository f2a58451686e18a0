using System.Globalization;
using Quartz;

namespace JobManagement.Benchmarks.Execution;

/// <summary>The trivial Quartz job: counts itself and completes the run when the last one has executed.</summary>
internal sealed class CountingQuartzJob : IJob
{
    private static int _count;
    private static int _expected;
    private static TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static Task AllDone => _allDone.Task;

    public static void Reset(int expected)
    {
        _expected = expected;
        _count = 0;
        _allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _count) == _expected)
        {
            _allDone.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Quartz.NET 4.7 on its RAMJobStore: one durable-less job and one StartNow trigger per job, scheduled by
/// the same number of concurrent submitters, executed by Quartz's default thread pool with MaxConcurrency
/// set to our worker's. Not durable: nothing is written anywhere.
/// </summary>
internal static class QuartzJobs
{
    private static int _instances;

    /// <summary>The bytes one job scheduled and not yet run keeps alive in Quartz's RAMJobStore (its detail, trigger and their indexes).</summary>
    public static async Task<double> RetainedPerWaitingJobAsync(int count)
    {
        IScheduler scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = $"retained-{Interlocked.Increment(ref _instances)}");
            q.UseInMemoryStore();
        }).BuildScheduler(); // never started: every job waits
        try
        {
            await ScheduleAsync(scheduler, -1);
            long before = GC.GetTotalMemory(forceFullCollection: true);
            for (int i = 0; i < count; i++)
            {
                await ScheduleAsync(scheduler, i);
            }

            long after = GC.GetTotalMemory(forceFullCollection: true);
            return (double)(after - before) / count;
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: false);
        }

        static async Task ScheduleAsync(IScheduler scheduler, int i)
        {
            IJobDetail job = JobBuilder.Create<CountingQuartzJob>().WithIdentity(i.ToString(CultureInfo.InvariantCulture)).Build();
            ITrigger trigger = TriggerBuilder.Create().WithIdentity(i.ToString(CultureInfo.InvariantCulture)).StartNow().Build();
            await scheduler.ScheduleJob(job, trigger).ConfigureAwait(false);
        }
    }

    public static async Task<JobsMeasurement> MeasureAsync(JobsOptions options, int count)
    {
        string name = $"bench-{Interlocked.Increment(ref _instances)}";
        IScheduler scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = name);
            q.UseDefaultThreadPool(options.Concurrency);
            q.UseInMemoryStore();
        }).BuildScheduler();
        CountingQuartzJob.Reset(count);
        Func<int, ValueTask> schedule = async i =>
        {
            IJobDetail job = JobBuilder.Create<CountingQuartzJob>().WithIdentity(i.ToString(CultureInfo.InvariantCulture)).Build();
            ITrigger trigger = TriggerBuilder.Create().WithIdentity(i.ToString(CultureInfo.InvariantCulture)).StartNow().Build();
            await scheduler.ScheduleJob(job, trigger).ConfigureAwait(false);
        };
        try
        {
            JobsMeter? submitted = null;
            if (!options.SubmitFirst)
            {
                await scheduler.Start(); // not timed: our worker, too, is started before the clock
            }
            else
            {
                submitted = new JobsMeter();
                await JobsMeter.SubmitAllAsync(count, options.Submitters, schedule);
                submitted.Submitted();
            }

            var meter = new JobsMeter();
            if (submitted is not null)
            {
                await scheduler.Start(); // the drain starts with the scheduler
            }
            else
            {
                await JobsMeter.SubmitAllAsync(count, options.Submitters, schedule);
                meter.Submitted();
            }

            await CountingQuartzJob.AllDone.WaitAsync(TimeSpan.FromMinutes(5));
            JobsMeasurement measured = meter.Stop(count);
            return submitted is null ? measured : measured with { SubmitSeconds = submitted.Stop(count).SubmitSeconds };
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
    }
}
