using System.Globalization;
using Npgsql;
using Xunit.Abstractions;
using EventId = JobManagement.EventId;

namespace JobManagement.PostgreSql.Tests;

/// <summary>
/// Mutates one stored row at random (seeded) and reads the journal back: every damaged row must
/// raise a typed <see cref="JobJournalCorruptionException"/> — no other exception, no hang, and
/// never a silent skip or a silently different entry. When the database refuses the damage (a NOT
/// NULL or unique constraint), the reads must equal the original. JM_FUZZ_SEED replays a run.
/// </summary>
public sealed class PostgreSqlCorruptionFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] TextColumns = ["stream", "event_id", "event_type", "task_id", "attributes", "payload", "execution_id", "trace_id", "span_id"];

    private readonly TemporarySchema _schema = new();
    private readonly TemporarySchema _pristine = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _schema.DisposeAsync();
        await _pristine.DisposeAsync();
    }

    [PostgreSqlFact]
    public async Task Read_RandomlyDamagedRow_RaisesCorruptionNeverSkips()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("JM_FUZZ_SEED"), out int s) ? s : Random.Shared.Next();
        output.WriteLine($"fuzz seed {seed} (replay with JM_FUZZ_SEED={seed})");
        var random = new Random(seed);
        await WriteJournalAsync();
        List<JobEventLogEntry> original = await ReadEverythingAsync();

        // Keep a copy of the rows in another schema, restored before each mutation.
        await _pristine.ExecuteAsync("CREATE SCHEMA {schema}");
        await _pristine.ExecuteAsync($"CREATE TABLE {{schema}}.entries AS SELECT * FROM \"{_schema.Name}\".entries");

        for (int iteration = 0; iteration < 60; iteration++)
        {
            await _schema.ExecuteAsync($"DELETE FROM {{schema}}.entries; INSERT INTO {{schema}}.entries SELECT * FROM \"{_pristine.Name}\".entries");
            string mutation = await MutateAsync(random, original);
            string context = $"seed {seed}, iteration {iteration}: {mutation}";
            output.WriteLine(context);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Func<Task> read = async () => await ReadEverythingAsync(timeout.Token);
            if (mutation.StartsWith("none", StringComparison.Ordinal))
            {
                (await ReadEverythingAsync(timeout.Token)).Should().BeEquivalentTo(original, o => o.WithStrictOrdering().Excluding(e => e.Payload), context);
            }
            else
            {
                await read.Should().ThrowAsync<JobJournalCorruptionException>(context);
            }
        }
    }

    private PostgreSqlJobEventJournal OpenJournal() =>
        new(new PostgreSqlJournalOptions { ConnectionString = _schema.ConnectionString, Schema = _schema.Name });

    private async Task WriteJournalAsync()
    {
        await using PostgreSqlJobEventJournal journal = OpenJournal();
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

    private async Task<List<JobEventLogEntry>> ReadEverythingAsync(CancellationToken cancellationToken = default)
    {
        await using PostgreSqlJobEventJournal journal = OpenJournal();
        List<JobEventLogEntry> entries = [.. await journal.ReadAllAsync(1, 10_000, cancellationToken)];
        foreach (JobId stream in entries.Select(e => e.JobId).Distinct().ToList())
        {
            await foreach (JobEventLogEntry _ in journal.ReadStreamAsync(stream, 1, cancellationToken))
            {
            }
        }

        return entries;
    }

    private async Task<string> MutateAsync(Random random, List<JobEventLogEntry> original)
    {
        // A row in the middle of a stream, so that moving or deleting it leaves a visible gap.
        JobEventLogEntry target = original.Where(e => e.Sequence is > 1 and < 5).ElementAt(random.Next(original.Count(e => e.Sequence is > 1 and < 5)));
        string where = string.Create(CultureInfo.InvariantCulture, $"WHERE position = {target.Position}");
        string sql;
        string description;
        switch (random.Next(7))
        {
            case 0:
                string column = TextColumns[random.Next(TextColumns.Length)];
                sql = $"UPDATE {{schema}}.entries SET {column} = left({column}, -1) || chr(ascii(right({column}, 1)) # 1) {where}"; // XOR 1 on the last character
                description = $"flipped a bit of {column} at position {target.Position}";
                break;
            case 1:
                string nullable = TextColumns[random.Next(TextColumns.Length)];
                sql = $"UPDATE {{schema}}.entries SET {nullable} = NULL {where}";
                description = $"set {nullable} to NULL at position {target.Position}";
                break;
            case 2:
                sql = $"UPDATE {{schema}}.entries SET lane = {random.Next(2, 10)} {where}";
                description = $"set an unknown lane at position {target.Position}";
                break;
            case 3:
                string timestamp = random.Next(2) == 0 ? "occurred_ticks" : "recorded_ticks";
                sql = $"UPDATE {{schema}}.entries SET {timestamp} = {timestamp} + {random.Next(1, 1_000_000)} {where}";
                description = $"shifted {timestamp} at position {target.Position}";
                break;
            case 4:
                sql = $"DELETE FROM {{schema}}.entries {where}";
                description = $"deleted the row at position {target.Position}";
                break;
            case 5:
                sql = $"UPDATE {{schema}}.entries SET sequence = sequence + {random.Next(1, 100)} {where}";
                description = $"moved the sequence at position {target.Position}";
                break;
            default:
                sql = $"UPDATE {{schema}}.entries SET checksum = set_byte(checksum, 0, get_byte(checksum, 0) # 1) {where}";
                description = $"flipped a bit of the checksum at position {target.Position}";
                break;
        }

        try
        {
            await _schema.ExecuteAsync(sql);
            return description;
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.NotNullViolation or PostgresErrorCodes.UniqueViolation)
        {
            return $"none (the database refused the damage: {exception.SqlState}): " + description;
        }
    }
}
