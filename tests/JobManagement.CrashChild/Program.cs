// Crash-test child: appends to a journal as fast as it can from several workers and prints one
// line per acknowledged append ("job <id> .", "event <id> .", "batch <stream> <count> ."; the final
// "." proves the line was not cut by the kill), flushing each
// line, so the parent knows exactly what was acknowledged before it kills this process.
// Usage: JobManagement.CrashChild sqlite <connection-string> <run-tag>
//        JobManagement.CrashChild postgres <connection-string> <schema> <run-tag>
//        JobManagement.CrashChild deliver postgres <connection-string> <schema> <run-tag> <seed>
//          (multi-node mode: see DeliverNode.cs)
//        JobManagement.CrashChild handler sqlite <connection-string> <job-count> <run-tag>
//        JobManagement.CrashChild handler postgres <connection-string> <schema> <job-count> <run-tag>
//          (a worker running handlers: see HandlerNode.cs)
using System.Globalization;
using JobManagement;
using JobManagement.CrashChild;
using Microsoft.Extensions.DependencyInjection;
using EventId = JobManagement.EventId;

const string Usage = "usage: JobManagement.CrashChild sqlite <connection-string> <run-tag> | postgres <connection-string> <schema> <run-tag> | deliver postgres <connection-string> <schema> <run-tag> <seed> | handler sqlite <connection-string> <job-count> <run-tag> | handler postgres <connection-string> <schema> <job-count> <run-tag>";
if (args.Length >= 6 && args[0] == "deliver" && args[1] == "postgres")
{
    return await DeliverNode.RunAsync(args[2], args[3], args[4], int.Parse(args[5], CultureInfo.InvariantCulture));
}

if (args.Length == 5 && args[0] == "handler" && args[1] == "sqlite")
{
    string connection = args[2];
    return await HandlerNode.RunAsync(jobs => jobs.UseSqliteJournal(connection), int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
}

if (args.Length == 6 && args[0] == "handler" && args[1] == "postgres")
{
    string connection = args[2];
    string schema = args[3];
    return await HandlerNode.RunAsync(jobs => jobs.UsePostgreSqlJournal(connection, o => o.Schema = schema), int.Parse(args[4], CultureInfo.InvariantCulture), args[5]);
}

var services = new ServiceCollection();
JobEngineBuilder jobs = services.AddJobEngine(jobs => jobs
    .AddPlan("crash-test", plan => plan.Expect("step.done", e => e.CorrelatedOn("run").Times(3))));
string tag;
if (args.Length == 3 && args[0] == "sqlite")
{
    jobs.UseSqliteJournal(args[1]);
    tag = args[2];
}
else if (args.Length == 4 && args[0] == "postgres")
{
    string schema = args[2];
    jobs.UsePostgreSqlJournal(args[1], o => o.Schema = schema);
    tag = args[3];
}
else
{
    Console.Error.WriteLine(Usage);
    return 2;
}

await using ServiceProvider provider = services.BuildServiceProvider();
JobEngine engine = provider.GetRequiredService<JobEngine>();
IJobEventJournal journal = provider.GetRequiredService<IJobEventJournal>();
object consoleGate = new();

void Ack(string line)
{
    lock (consoleGate)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }
}

Console.Out.WriteLine("ready");
Console.Out.Flush();

async Task WorkerAsync(int worker)
{
    for (int n = 0; ; n++)
    {
        string run = string.Create(CultureInfo.InvariantCulture, $"{tag}-w{worker}-{n}");
        JobCreationResult created = await engine.CreateJobAsync(new CreateJobRequest
        {
            JobType = JobType.Parse("crash-test"),
            RequestId = EventId.Parse($"req-{run}"),
            JobId = JobId.Parse($"job-{run}"),
            Correlation = EventAttributes.Of(("run", run)),
        });
        Ack($"job {created.JobId} .");

        for (int step = 0; step < 3; step++)
        {
            string eventId = $"evt-{run}-{step}";
            await engine.IngestAsync(new IncomingEvent
            {
                EventId = EventId.Parse(eventId),
                Type = EventTypeId.Parse("step.done"),
                OccurredAt = DateTimeOffset.UtcNow,
                Attributes = EventAttributes.Of(("run", run)),
            });
            Ack($"event {eventId} .");
        }

        // A raw multi-event batch: after a crash it must be visible whole or not at all.
        int count = 2 + (n % 4);
        JobId stream = JobId.Parse($"batch-{run}");
        NewJobEvent[] batch = [.. Enumerable.Range(0, count).Select(i => new NewJobEvent
        {
            EventId = EventId.Parse($"b-{run}-{i}"),
            EventType = EventTypeId.Parse("batch.item"),
            Lane = EventLane.Domain,
            OccurredAt = DateTimeOffset.UtcNow,
            RecordedAt = DateTimeOffset.UtcNow,
            Attributes = EventAttributes.Of(("count", count.ToString(CultureInfo.InvariantCulture))),
        })];
        await journal.AppendAsync(stream, ExpectedStreamVersion.NoStream, batch);
        Ack($"batch {stream} {count} .");
    }
}

await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() => WorkerAsync(worker))));
return 0;
