using System.Text.Json;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Support;

/// <summary>Seeded random scenarios over several jobs, and a runner that plays them against an engine.</summary>
public static class Scripts
{
    public static JobPlan[] Plans { get; } = [TestPlans.Order, TestPlans.CompensatedOrder, TestPlans.Invoice];

    private static readonly string[] EventTypes = ["payment.captured", "parcel.delivered", "parcel.delivered", "invoice.sent", "newsletter.sent", "payment.declined"];

    /// <summary>Writes a scenario: jobs created at random moments, events routed and addressed (some before their job exists), redeliveries, commands.</summary>
    public static List<ScriptStep> Generate(Random random, int jobs = 3, int steps = 40)
    {
        List<ScriptStep> script = [];
        List<IncomingEvent> sent = [];
        int created = 0;
        for (int i = 0; i < steps; i++)
        {
            int dice = random.Next(100);
            if (created < jobs && dice < 12)
            {
                JobPlan plan = Plans[random.Next(Plans.Length)];
                script.Add(new CreateStep(new CreateJobRequest
                {
                    JobType = plan.JobType,
                    RequestId = EventId.Parse($"req-{created}"),
                    JobId = JobId.Parse($"job-{created}"),
                    Correlation = EventAttributes.Of(("orderId", $"{random.Next(2)}")),
                    Start = random.Next(3) > 0,
                }));
                created++;
            }
            else if (created > 0 && dice < 16)
            {
                script.Add(new StartStep(JobId.Parse($"job-{random.Next(created)}"), EventId.Parse($"start-{i}")));
            }
            else if (created > 0 && dice < 18)
            {
                script.Add(new AbortStep(JobId.Parse($"job-{random.Next(created)}"), EventId.Parse($"abort-{i}"), $"reason {i}"));
            }
            else if (created > 0 && dice < 21)
            {
                script.Add(new CompensateStep(JobId.Parse($"job-{random.Next(created)}"), EventId.Parse($"comp-{i}"), random.Next(2) == 0 ? CompensationOutcome.Completed : CompensationOutcome.Failed));
            }
            else if (sent.Count > 0 && dice < 35)
            {
                script.Add(new IngestStep(sent[random.Next(sent.Count)]));
            }
            else if (dice < 40)
            {
                script.Add(new AdvanceStep(TimeSpan.FromSeconds(random.Next(1, 600))));
            }
            else
            {
                string type = EventTypes[random.Next(EventTypes.Length - (random.Next(4) == 0 ? 0 : 1))];
                IncomingEvent incoming = new()
                {
                    EventId = EventId.Parse($"evt-{i}"),
                    Type = EventTypeId.Parse(type),
                    OccurredAt = TestEvents.OccurredAt.AddSeconds(random.Next(-3600, 3600)),
                    JobId = random.Next(3) == 0 ? JobId.Parse($"job-{random.Next(jobs)}") : null,
                    Attributes = EventAttributes.Of(("orderId", $"{random.Next(2)}")),
                    Payload = random.Next(2) == 0 ? null : JsonSerializer.SerializeToElement(new { amount = random.Next(1000), note = "Iıİi ß" }),
                };
                sent.Add(incoming);
                script.Add(new IngestStep(incoming));
            }
        }

        return script;
    }

    /// <summary>Plays a scenario; returns the ids of the jobs it created.</summary>
    public static async Task<List<JobId>> RunAsync(JobEngine engine, ManualTimeProvider time, IEnumerable<ScriptStep> script, Func<EventObservability>? observability = null)
    {
        Func<EventObservability> next = observability ?? (() => EventObservability.None);
        List<JobId> jobs = [];
        foreach (ScriptStep step in script)
        {
            switch (step)
            {
                case CreateStep create:
                    JobCreationResult result = await engine.CreateJobAsync(create.Request with { Observability = next() });
                    if (!jobs.Contains(result.JobId))
                    {
                        jobs.Add(result.JobId);
                    }

                    break;
                case StartStep start:
                    await engine.StartAsync(start.JobId, start.RequestId);
                    break;
                case AbortStep abort:
                    await engine.AbortAsync(abort.JobId, abort.Reason, abort.RequestId);
                    break;
                case CompensateStep compensate:
                    await engine.RecordCompensationAsync(compensate.JobId, compensate.Outcome, requestId: compensate.RequestId);
                    break;
                case IngestStep ingest:
                    await engine.IngestAsync(ingest.Event with { Observability = next() });
                    break;
                case AdvanceStep advance:
                    time.Advance(advance.By);
                    break;
            }
        }

        return jobs;
    }

    /// <summary>Plays a scenario on a fresh journal and engine; returns the journal and every created job's state.</summary>
    public static async Task<(InMemoryJobEventJournal Journal, Dictionary<JobId, JobState> States)> RunFreshAsync(IEnumerable<ScriptStep> script, Func<EventObservability>? observability = null, JobEngineOptions? options = null)
    {
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using JobEngine engine = TestEngine.Create(journal, time, options ?? new JobEngineOptions(), Plans);
        List<JobId> jobs = await RunAsync(engine, time, script, observability);
        Dictionary<JobId, JobState> states = [];
        foreach (JobId jobId in jobs)
        {
            states[jobId] = (await engine.GetStateAsync(jobId))!;
        }

        return (journal, states);
    }
}
