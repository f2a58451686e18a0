// The quick start from README.md, runnable: one event-driven job from creation to Succeeded, on the
// embedded SQLite journal (data/jobs.db next to where you run it). Run it twice: the second run
// finds the job in the file, every delivery is recognised as a duplicate, and the story is the same.
using JobManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using EventId = JobManagement.EventId; // Microsoft.Extensions.Logging has an EventId too

var services = new ServiceCollection()
    .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

string database = Path.Combine(args.Length > 0 ? args[0] : "data", "jobs.db");
services.AddJobEngine(jobs => jobs
    .UseSqliteJournal($"Data Source={database}")
    .AddPlan("order-fulfillment", plan => plan
        .Expect("payment.captured", e => e.CorrelatedOn("orderId"))
        .Expect("parcel.delivered", e => e.CorrelatedOn("orderId").Times(2).OfKind(ExpectationKind.ExternalSignal))
        .FailOn("payment.declined", f => f.CorrelatedOn("orderId"))));

await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
JobEngine engine = provider.GetRequiredService<JobEngine>();
// When each fact happened, as its producer says; a redelivery carries the same time, so it is an exact duplicate.
DateTimeOffset now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

// A webhook arrives before the job exists: it is recorded, and the job adopts it when created.
await engine.IngestAsync(new IncomingEvent
{
    EventId = EventId.Parse("psp-evt-1001"),
    Type = EventTypeId.Parse("payment.captured"),
    OccurredAt = now,
    Attributes = EventAttributes.Of(("orderId", "42")),
});

JobCreationResult created = await engine.CreateJobAsync(new CreateJobRequest
{
    JobType = JobType.Parse("order-fulfillment"),
    RequestId = EventId.Parse("checkout-42"),
    JobId = JobId.Parse("order-42-fulfillment"),
    Correlation = EventAttributes.Of(("orderId", "42")),
});
Console.WriteLine($"journal: {Path.GetFullPath(database)}");
Console.WriteLine($"{(created.IsDuplicate ? "already created" : "created")} {created.JobId}: {created.State.Status}");

foreach (string delivery in new[] { "dhl-7", "dhl-8", "dhl-8" /* a redelivery: changes nothing */ })
{
    IngestResult result = await engine.IngestAsync(new IncomingEvent
    {
        EventId = EventId.Parse(delivery),
        Type = EventTypeId.Parse("parcel.delivered"),
        OccurredAt = now,
        Attributes = EventAttributes.Of(("orderId", "42")),
    });
    Console.WriteLine($"{delivery}: {string.Join(", ", result.Outcomes.Select(o => $"{o.JobId} {o.Status} -> {o.JobStatus}"))}");
}

JobState state = (await engine.GetStateAsync(created.JobId))!;
Console.WriteLine($"\njob {state.JobId} is {state.Status}");
foreach (ExpectationState expectation in state.Expectations)
{
    Console.WriteLine($"  {expectation.Name}: {expectation.Count}/{expectation.Required} satisfied by {string.Join(", ", expectation.SatisfiedBy.Select(r => r.EventId))}");
}

Console.WriteLine("\nhistory:");
foreach (JobEventLogEntry entry in await engine.GetHistoryAsync(created.JobId))
{
    Console.WriteLine($"  #{entry.Sequence} {entry.Lane,-9} {entry.EventType,-18} {entry.EventId}");
}

Console.WriteLine("\ntransitions:");
foreach (JobTransition transition in state.Transitions)
{
    Console.WriteLine($"  {transition.From?.ToString() ?? "(new)",-8} -> {transition.To,-9} caused by #{transition.CausedBy.Sequence} {transition.EventType}");
}

return state.Status == JobStatus.Succeeded ? 0 : 1;
