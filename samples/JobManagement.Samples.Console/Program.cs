// The quick start from README.md, runnable: one event-driven job from creation to Succeeded, then a
// command run as a job by the worker (a failed first attempt, a Polly retry, then a webhook it waits
// for), on the embedded SQLite journal (data/jobs.db next to where you run it). Run it twice: the
// second run finds both jobs in the file, every delivery is a duplicate, and the story is the same.
using JobManagement;
using JobManagement.Samples.Console;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
        .FailOn("payment.declined", f => f.CorrelatedOn("orderId")))
    .AddHandler<SendInvoiceHandler, SendInvoice, InvoiceSent>("send-invoice", job => job
        .WithRetries(3, TimeSpan.FromMilliseconds(200))
        .Expect("invoice.opened", e => e.CorrelatedOn("orderId"))));

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

// A command as a job: the hosted worker runs the handler (its first attempt fails, Polly retries it),
// then the job waits for the customer to open the invoice.
foreach (IHostedService hosted in provider.GetServices<IHostedService>())
{
    await hosted.StartAsync(CancellationToken.None);
}

JobCreationResult invoice = await engine.CreateJobAsync(new CreateJobRequest
{
    JobType = JobType.Parse("send-invoice"),
    RequestId = EventId.Parse("invoice-42"),
    JobId = JobId.Parse("order-42-invoice"),
    Correlation = EventAttributes.Of(("orderId", "42")),
    Input = System.Text.Json.JsonSerializer.SerializeToElement(new SendInvoice("42", "ada@example.com")),
});
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
await foreach (JobState step in engine.WatchAsync(invoice.JobId, timeout.Token))
{
    if (step.Attempts.Any(static a => a.Outcome == AttemptOutcome.Succeeded) && !step.IsTerminal)
    {
        await engine.IngestAsync(new IncomingEvent // the mail provider's webhook
        {
            EventId = EventId.Parse("mail-open-42"),
            Type = EventTypeId.Parse("invoice.opened"),
            OccurredAt = now,
            Attributes = EventAttributes.Of(("orderId", "42")),
        });
    }
}

JobState sent = await engine.WaitAsync(invoice.JobId, timeout.Token);
Console.WriteLine($"\njob {sent.JobId} is {sent.Status}; result: {sent.GetResult<InvoiceSent>()?.MessageId}");
foreach (JobAttempt attempt in sent.Attempts)
{
    Console.WriteLine($"  attempt {attempt.Number}: {attempt.Outcome}{(attempt.Failure is { } failure ? $" ({failure.Message})" : "")}");
}

foreach (JobEventLogEntry entry in await engine.GetHistoryAsync(invoice.JobId))
{
    Console.WriteLine($"  #{entry.Sequence} {entry.Lane,-9} {entry.EventType,-24} {entry.EventId}");
}

foreach (IHostedService hosted in provider.GetServices<IHostedService>())
{
    await hosted.StopAsync(CancellationToken.None);
}

return state.Status == JobStatus.Succeeded && sent.Status == JobStatus.Succeeded ? 0 : 1;
