using System.Globalization;
using Microsoft.Extensions.Options;
using EventId = JobManagement.EventId; // Microsoft.Extensions.Logging has an EventId too

namespace JobManagement.Benchmarks;

/// <summary>
/// The workload every measurement here shares: jobs of one plan that wait for any number of
/// <c>item.scanned</c> events (AtLeastOnce) and for an <c>order.closed</c> event that never comes,
/// so a job stays Running however many events it takes, and every ingested event is a fresh,
/// matching, correlated fact (routed by <c>orderId</c>, deduplicated, appended, folded).
/// </summary>
internal static class Workload
{
    public static readonly JobType JobType = JobType.Parse("order-fulfillment");

    public static readonly EventTypeId Scanned = EventTypeId.Parse("item.scanned");

    public static readonly DateTimeOffset OccurredAt = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static JobPlan Plan() => new JobPlanBuilder(JobType)
        .Expect("item.scanned", e => e.CorrelatedOn("orderId").AtLeastOnce())
        .Expect("order.closed", e => e.CorrelatedOn("orderId"))
        .Build();

    public static JobEngine CreateEngine(InMemoryJobEventJournal journal) =>
        new(journal, new JobPlanCatalog([Plan()]), Options.Create(new JobEngineOptions()), TimeProvider.System);

    public static string OrderKey(int job) => job.ToString(CultureInfo.InvariantCulture);

    /// <summary>Creates and starts <paramref name="jobs"/> jobs, <c>order-0</c>…, each correlated on its own orderId.</summary>
    public static async Task CreateJobsAsync(JobEngine engine, int jobs)
    {
        for (int i = 0; i < jobs; i++)
        {
            JobCreationResult created = await engine.CreateJobAsync(new CreateJobRequest
            {
                JobType = JobType,
                RequestId = EventId.Parse($"create-{i}"),
                JobId = JobId.Parse($"order-{i}"),
                Correlation = EventAttributes.Of(("orderId", OrderKey(i))),
            });
            if (created.State.Status != JobStatus.Running)
            {
                throw new InvalidOperationException($"job {created.JobId} is {created.State.Status}, expected Running.");
            }
        }
    }

    /// <summary>
    /// Builds <paramref name="count"/> events with unique ids (<paramref name="prefix"/>-n), spread
    /// round-robin over the jobs, none addressed: the engine must route each by correlation.
    /// </summary>
    public static IncomingEvent[] Events(int count, int jobs, string prefix)
    {
        EventAttributes[] correlation = new EventAttributes[jobs];
        for (int j = 0; j < jobs; j++)
        {
            correlation[j] = EventAttributes.Of(("orderId", OrderKey(j)));
        }

        var events = new IncomingEvent[count];
        for (int i = 0; i < count; i++)
        {
            events[i] = new IncomingEvent
            {
                EventId = EventId.Parse(string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}")),
                Type = Scanned,
                OccurredAt = OccurredAt,
                Attributes = correlation[i % jobs],
            };
        }

        return events;
    }

    /// <summary>Ingests the events one after another on this thread; returns how many were applied to a job.</summary>
    public static async Task<int> IngestAllAsync(JobEngine engine, IncomingEvent[] events)
    {
        int applied = 0;
        foreach (IncomingEvent incoming in events)
        {
            IngestResult result = await engine.IngestAsync(incoming);
            if (result.Outcomes.Length == 1 && result.Outcomes[0].Status == IngestStatus.Applied)
            {
                applied++;
            }
        }

        return applied;
    }
}
