using Xunit.Abstractions;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance;

/// <summary>
/// Mutates one stored row at random (seeded) and reads the journal back: every damaged row must raise
/// a typed <see cref="JobJournalCorruptionException"/> — no other exception, no hang, and never a
/// silent skip or a silently different entry. When the database refuses the damage (a NOT NULL or a
/// unique constraint) or it changes nothing, the reads must equal the original. JM_FUZZ_SEED replays a
/// run. Each durable journal's test project subclasses it with its storage and its own mutations.
/// </summary>
/// <param name="output">Where the seed and each mutation are printed.</param>
public abstract class CorruptionFuzzConformanceTests(ITestOutputHelper output)
{
    /// <summary>How many mutations one run tries, each on a fresh copy of the undamaged rows.</summary>
    protected const int Iterations = 60;

    /// <summary>Gets why the journal cannot be tested here (for example: no server locally), or null.</summary>
    protected virtual string? UnavailableReason => null;

    /// <summary>Opens a journal over the storage as it is now (the caller disposes it).</summary>
    /// <returns>The journal.</returns>
    protected abstract IJobEventJournal OpenJournal();

    /// <summary>Keeps a copy of the undamaged rows, once they are written.</summary>
    /// <returns>A task that completes when the copy is kept.</returns>
    protected abstract Task KeepPristineAsync();

    /// <summary>Puts the undamaged rows back (or points the next journal at a fresh copy of them).</summary>
    /// <param name="iteration">The iteration about to mutate.</param>
    /// <returns>A task that completes when the storage is undamaged again.</returns>
    protected abstract Task RestorePristineAsync(int iteration);

    /// <summary>Damages the storage one way, chosen by <paramref name="random"/>.</summary>
    /// <param name="random">The seeded source of every choice.</param>
    /// <param name="target">The row to damage: one in the middle of a stream, so that moving or deleting it leaves a visible gap.</param>
    /// <returns>What was done; starting with "none" when the database refused it or it changed nothing.</returns>
    protected abstract Task<string> MutateAsync(Random random, JobEventLogEntry target);

    [SkippableFact]
    public async Task Read_RandomlyDamagedRow_RaisesCorruptionNeverSkips()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        int seed = int.TryParse(Environment.GetEnvironmentVariable("JM_FUZZ_SEED"), out int s) ? s : Random.Shared.Next();
        output.WriteLine($"fuzz seed {seed} (replay with JM_FUZZ_SEED={seed})");
        var random = new Random(seed);
        await WriteFixtureAsync();
        List<JobEventLogEntry> original = await ReadEverythingAsync();
        await KeepPristineAsync();
        JobEventLogEntry[] targets = [.. original.Where(static e => e.Sequence is > 1 and < 5)];

        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            await RestorePristineAsync(iteration);
            string mutation = await MutateAsync(random, targets[random.Next(targets.Length)]);
            string context = $"seed {seed}, iteration {iteration}: {mutation}";
            output.WriteLine(context);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            if (mutation.StartsWith("none", StringComparison.Ordinal))
            {
                (await ReadEverythingAsync(timeout.Token)).Should().BeEquivalentTo(original, o => o.WithStrictOrdering().Excluding(e => e.Payload), context);
            }
            else
            {
                Func<Task> read = async () => await ReadEverythingAsync(timeout.Token);
                await read.Should().ThrowAsync<JobJournalCorruptionException>(context);
            }
        }
    }

    /// <summary>Four jobs of five events each, with every field set.</summary>
    private async Task WriteFixtureAsync()
    {
        IJobEventJournal journal = OpenJournal();
        try
        {
            for (int job = 0; job < 4; job++)
            {
                NewJobEvent[] events = [.. Enumerable.Range(0, 5).Select(i => new NewJobEvent
                {
                    EventId = EventId.Parse($"evt-{job}-{i}"),
                    EventType = EventTypeId.Parse("payment.captured"),
                    Lane = EventLane.Domain,
                    TaskId = TaskId.Parse("charge"),
                    OccurredAt = DateTimeOffset.UnixEpoch.AddMinutes(i),
                    RecordedAt = DateTimeOffset.UnixEpoch.AddMinutes(i),
                    Attributes = EventAttributes.Of(("orderId", $"{job}")),
                    Payload = System.Text.Json.JsonSerializer.SerializeToElement(new { amount = i }),
                    Observability = new EventObservability("exec", "trace", "span"),
                })];
                await journal.AppendAsync(JobId.Parse($"job-{job}"), ExpectedStreamVersion.NoStream, events);
            }
        }
        finally
        {
            await DisposeAsync(journal);
        }
    }

    /// <summary>Reads every entry in global order, then every stream from its start (each read verifies what it reads).</summary>
    private async Task<List<JobEventLogEntry>> ReadEverythingAsync(CancellationToken cancellationToken = default)
    {
        IJobEventJournal journal = OpenJournal();
        try
        {
            List<JobEventLogEntry> entries = [.. await journal.ReadAllAsync(1, 10_000, cancellationToken)];
            foreach (JobId stream in entries.Select(static e => e.JobId).Distinct().ToList())
            {
                await foreach (JobEventLogEntry _ in journal.ReadStreamAsync(stream, 1, cancellationToken))
                {
                }
            }

            return entries;
        }
        finally
        {
            await DisposeAsync(journal);
        }
    }

    private static async Task DisposeAsync(IJobEventJournal journal)
    {
        if (journal is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
