using System.Text.Json;

namespace JobManagement.Journal.Conformance;

/// <summary>
/// The <see cref="IJobEventJournal"/> contract, as tests every journal must pass. A journal's test
/// project runs the whole suite with one line:
/// <code>
/// public sealed class InMemoryJobEventJournalTests : JobEventJournalConformanceTests
/// {
///     protected override ValueTask&lt;IJobEventJournal&gt; CreateJournalAsync() => new(new InMemoryJobEventJournal());
/// }
/// </code>
/// </summary>
/// <remarks>
/// <para>Every test gets a fresh, empty journal from <see cref="CreateJournalAsync"/> (a new
/// database or schema for a durable journal) and hands it to <see cref="DisposeJournalAsync"/>
/// afterwards. Tests assume nothing else writes to it.</para>
/// <para>Timestamps carry microsecond precision (what PostgreSQL keeps); payloads are compared
/// as JSON (property order and number spelling are not content). Positions must be unique and
/// increasing, not contiguous.</para>
/// <para>The suite is split by theme into partial files: appending, idempotency, reading, the
/// indexes, arguments and cancellation, and concurrency.</para>
/// </remarks>
public abstract partial class JobEventJournalConformanceTests : IAsyncLifetime
{
    /// <summary>A safety net for tests that wait on concurrent work; never a pacing delay.</summary>
    protected static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>An occurrence time with microsecond precision and a non-UTC offset: only the instant is content.</summary>
    protected static readonly DateTimeOffset OccurredAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1_234_560);

    /// <summary>A recording time, later than <see cref="OccurredAt"/>, with microsecond precision.</summary>
    protected static readonly DateTimeOffset RecordedAt = new DateTimeOffset(2026, 3, 4, 4, 0, 0, TimeSpan.Zero).AddTicks(6_543_210);

    private IJobEventJournal? _sut;

    /// <summary>Gets the journal under test: fresh and empty for each test.</summary>
    protected IJobEventJournal Sut
    {
        get
        {
            return _sut ?? throw new InvalidOperationException("The journal is created in InitializeAsync.");
        }
    }

    /// <summary>
    /// Gets why the journal cannot be tested here (for example: no database server locally), or null.
    /// When set, every test reports itself skipped with this reason. A journal should never set it
    /// under CI, where a missing server must fail the run.
    /// </summary>
    protected virtual string? UnavailableReason => null;

    /// <summary>Creates a fresh, empty journal for one test.</summary>
    /// <returns>The journal.</returns>
    protected abstract ValueTask<IJobEventJournal> CreateJournalAsync();

    /// <summary>Releases a journal after its test. The default disposes it when it is (async) disposable.</summary>
    /// <param name="journal">The journal <see cref="CreateJournalAsync"/> made.</param>
    /// <returns>A task that completes when the journal is released.</returns>
    protected virtual ValueTask DisposeJournalAsync(IJobEventJournal journal)
    {
        switch (journal)
        {
            case IAsyncDisposable asyncDisposable:
                return asyncDisposable.DisposeAsync();
            case IDisposable disposable:
                disposable.Dispose();
                return ValueTask.CompletedTask;
            default:
                return ValueTask.CompletedTask;
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        _sut = await CreateJournalAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_sut is not null)
        {
            await DisposeJournalAsync(_sut);
        }
    }

    /// <summary>A domain event with only the required fields.</summary>
    protected static NewJobEvent NewEvent(string eventId, string eventType = "thing.happened") => new()
    {
        EventId = EventId.Parse(eventId),
        EventType = EventTypeId.Parse(eventType),
        Lane = EventLane.Domain,
        OccurredAt = OccurredAt,
        RecordedAt = RecordedAt,
    };

    /// <summary>A domain event with every optional field set.</summary>
    protected static NewJobEvent FullEvent(string eventId, string eventType = "payment.captured") => NewEvent(eventId, eventType) with
    {
        TaskId = TaskId.Parse("charge-card"),
        Attributes = EventAttributes.Of(("orderId", "42"), ("customer", "café ☕ 日本 \"quoted\"")),
        Payload = Json("""{"amount":{"value":12.5,"currency":"EUR"},"lines":[1,2,3],"note":"naïve \u00e9 \n tab\t","ok":true,"none":null}"""),
        Observability = new EventObservability("exec-1", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"),
    };

    /// <summary>A <c>job.created</c> execution fact, shaped as the engine writes it (see <see cref="JobCreatedFact"/>).</summary>
    protected static NewJobEvent JobCreated(string eventId, string jobType, params (string Key, string Value)[] correlation) =>
        NewEvent(eventId, ExecutionEventTypes.Created.Value) with
        {
            Lane = EventLane.Execution,
            Attributes = TrustedAttributes([(ReservedAttributes.JobType, jobType), .. correlation]),
        };

    /// <summary>Attributes that may use the reserved <c>job.</c> prefix, made the public way a journal reads them back: from JSON.</summary>
    protected static EventAttributes TrustedAttributes(params (string Key, string Value)[] pairs) =>
        JsonSerializer.Deserialize<EventAttributes>(JsonSerializer.Serialize(pairs.ToDictionary(static p => p.Key, static p => p.Value)))!;

    /// <summary>Parses JSON into an element that outlives its document.</summary>
    protected static JsonElement Json(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Appends events to a stream without a version check.</summary>
    protected ValueTask<AppendResult> AppendAsync(JobId jobId, params NewJobEvent[] events) =>
        Sut.AppendAsync(jobId, ExpectedStreamVersion.Any, events);

    /// <summary>Reads a whole stream.</summary>
    protected async Task<List<JobEventLogEntry>> ReadStreamAsync(JobId jobId, long fromSequence = 1) =>
        await Sut.ReadStreamAsync(jobId, fromSequence).ToListAsync();

    /// <summary>Reads the whole journal, page by page.</summary>
    protected async Task<List<JobEventLogEntry>> ReadAllAsync(int pageSize = 100)
    {
        List<JobEventLogEntry> all = [];
        long from = 1;
        while (true)
        {
            IReadOnlyList<JobEventLogEntry> page = await Sut.ReadAllAsync(from, pageSize);
            all.AddRange(page);
            if (page.Count < pageSize)
            {
                return all;
            }

            from = page[^1].Position + 1;
        }
    }

    /// <summary>Asserts that a stored entry carries exactly what was appended, field by field.</summary>
    protected static void ShouldCarry(JobEventLogEntry entry, JobId jobId, NewJobEvent expected)
    {
        entry.JobId.Should().Be(jobId);
        entry.EventId.Should().Be(expected.EventId);
        entry.EventType.Should().Be(expected.EventType);
        entry.Lane.Should().Be(expected.Lane);
        entry.TaskId.Should().Be(expected.TaskId);
        entry.OccurredAt.Should().Be(expected.OccurredAt);
        entry.RecordedAt.Should().Be(expected.RecordedAt);
        entry.Attributes.Should().Equal(expected.Attributes);
        entry.Attributes.Equals(expected.Attributes).Should().BeTrue("attributes compare by value");
        entry.Observability.Should().Be(expected.Observability);
        ShouldBeSameJson(entry.Payload, expected.Payload);
    }

    /// <summary>Asserts two optional payloads are the same JSON.</summary>
    protected static void ShouldBeSameJson(JsonElement? actual, JsonElement? expected)
    {
        if (expected is null)
        {
            actual.Should().BeNull();
            return;
        }

        actual.Should().NotBeNull();
        JsonElement.DeepEquals(actual!.Value, expected.Value).Should().BeTrue($"payload {actual.Value.GetRawText()} should equal {expected.Value.GetRawText()}");
    }
}
