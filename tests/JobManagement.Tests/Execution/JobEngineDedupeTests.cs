using JobManagement.Journal.Conformance.Features;
using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Execution;

/// <summary>Dedupe keys: the live job of the same type and key is returned instead of a new one.</summary>
public sealed class JobEngineDedupeTests
{
    [Fact]
    public async Task CreateJobAsync_SameKeyWhileActive_ReturnsExistingJobAndAppendsNothing()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult first = await sut.CreateJobAsync(WithKey("req-1", "nightly"));
        long count = journal.Count;

        JobCreationResult second = await sut.CreateJobAsync(WithKey("req-2", "nightly", orderId: "43"));

        first.IsDeduplicated.Should().BeFalse();
        second.IsDeduplicated.Should().BeTrue();
        second.IsDuplicate.Should().BeFalse("a dedupe hit is not a retry of the same request");
        second.JobId.Should().Be(first.JobId);
        second.State.DedupeKey.Should().Be("nightly");
        second.State.Correlation["orderId"].Should().Be("42", "the existing job is returned as it is");
        journal.Count.Should().Be(count);
    }

    [Fact]
    public async Task CreateJobAsync_SameKeyAfterTerminal_CreatesNewJob()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult first = await sut.CreateJobAsync(WithKey("req-1", "nightly"));
        await sut.AbortAsync(first.JobId, "done with it");

        JobCreationResult second = await sut.CreateJobAsync(WithKey("req-2", "nightly"));

        second.IsDeduplicated.Should().BeFalse();
        second.JobId.Should().NotBe(first.JobId);
        second.State.Status.Should().Be(JobStatus.Running);
    }

    [Fact]
    public async Task CreateJobAsync_OtherJobTypeSameKey_CreatesNewJob()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order, TestPlans.Invoice);
        JobCreationResult order = await sut.CreateJobAsync(WithKey("req-1", "k"));

        JobCreationResult invoice = await sut.CreateJobAsync(WithKey("req-2", "k") with { JobType = TestPlans.Invoice.JobType });

        invoice.IsDeduplicated.Should().BeFalse();
        invoice.JobId.Should().NotBe(order.JobId);
    }

    [Fact]
    public async Task CreateJobAsync_TerminalWithinWindow_ReturnsItUntilTheWindowPasses()
    {
        var time = new ManualTimeProvider();
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), time, new JobEngineOptions { DedupeTerminalWindow = TimeSpan.FromMinutes(5) }, TestPlans.Order);
        JobCreationResult first = await sut.CreateJobAsync(WithKey("req-1", "k"));
        await sut.AbortAsync(first.JobId, "stop");

        time.Advance(TimeSpan.FromMinutes(4));
        JobCreationResult within = await sut.CreateJobAsync(WithKey("req-2", "k"));
        time.Advance(TimeSpan.FromMinutes(2));
        JobCreationResult after = await sut.CreateJobAsync(WithKey("req-3", "k"));

        within.IsDeduplicated.Should().BeTrue();
        within.JobId.Should().Be(first.JobId);
        within.State.Status.Should().Be(JobStatus.Aborted);
        after.IsDeduplicated.Should().BeFalse();
        after.JobId.Should().NotBe(first.JobId);
    }

    [Fact]
    public async Task CreateJobAsync_ConcurrentSameKey_CreatesOneJob()
    {
        // Every journal call yields, so without the per-key gate the lookups and appends interleave.
        var journal = new HookJournal(new InMemoryJobEventJournal())
        {
            BeforeFindByEventId = async _ => await Task.Yield(),
            BeforeFindJobs = async _ => await Task.Yield(),
            BeforeAppend = async (_, _) => await Task.Yield(),
        };
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);

        JobCreationResult[] results = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(i => Task.Run(async () => await sut.CreateJobAsync(WithKey($"req-{i}", "same")))));

        results.Select(r => r.JobId).Distinct().Should().ContainSingle();
        results.Count(r => !r.IsDeduplicated).Should().Be(1);
        (await journal.ReadEverythingAsync()).Count(e => e.EventType == ExecutionEventTypes.Created).Should().Be(1);
    }

    [Fact]
    public async Task CreateJobAsync_TwoNodesRaceWithOneKey_TheKeysClaimDecides_LoserIsDeduplicated()
    {
        var inner = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using JobEngine nodeA = TestEngine.Create(inner, time, TestPlans.Order);
        var hooked = new HookJournal(inner);
        using JobEngine nodeB = TestEngine.Create(hooked, time, TestPlans.Order);
        JobCreationResult? a = null;
        hooked.BeforeAppend = async (_, events) =>
        {
            if (a is null && events[0].EventType == ExecutionEventTypes.DedupeClaimed)
            {
                // Node A claims the key and creates its job after node B found the key free and before B's claim:
                // different requests, no job id chosen by the caller.
                a = await nodeA.CreateJobAsync(WithKey("req-a", "k"));
            }
        };

        JobCreationResult b = await nodeB.CreateJobAsync(WithKey("req-b", "k", orderId: "43"));

        a.Should().NotBeNull("the race was forced");
        a!.IsDeduplicated.Should().BeFalse();
        b.IsDeduplicated.Should().BeTrue("node A's claim came first: node B's claim failed on the key stream's version");
        b.IsDuplicate.Should().BeFalse();
        b.JobId.Should().Be(a.JobId);
        b.State.Correlation["orderId"].Should().Be("42");
        (await inner.ReadEverythingAsync()).Count(static e => e.EventType == ExecutionEventTypes.Created).Should().Be(1, "one job for the key");
        (await inner.ReadStreamListAsync(b.JobId))[0].EventId.Should().Be(EventId.Parse("req-a"));
    }

    [Fact]
    public async Task CreateJobAsync_ClaimantDiedBeforeCreating_TheNextCreateCompletesItsJob_AndItsRetryFindsIt()
    {
        var inner = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        var hooked = new HookJournal(inner);
        using JobEngine dying = TestEngine.Create(hooked, time, TestPlans.Order);
        using JobEngine other = TestEngine.Create(inner, time, TestPlans.Order);
        hooked.BeforeAppend = (_, events) => events[0].EventType == ExecutionEventTypes.Created
            ? throw new IOException("the node died after its claim")
            : Task.CompletedTask;

        Func<Task> claimOnly = async () => await dying.CreateJobAsync(WithKey("req-a", "k"));
        await claimOnly.Should().ThrowAsync<IOException>();
        (await inner.ReadEverythingAsync()).Should().ContainSingle(static e => e.EventType == ExecutionEventTypes.DedupeClaimed, "the claim is the commit point");

        JobCreationResult later = await other.CreateJobAsync(WithKey("req-b", "k", orderId: "43"));

        later.IsDeduplicated.Should().BeTrue("the key's claim names a job: it is created from the claim and returned");
        later.State.Correlation["orderId"].Should().Be("42", "the claiming request's job, not this one's");
        (await inner.ReadStreamListAsync(later.JobId))[0].EventId.Should().Be(EventId.Parse("req-a"), "created under the claiming request's id");

        hooked.BeforeAppend = null;
        JobCreationResult retry = await dying.CreateJobAsync(WithKey("req-a", "k"));
        retry.JobId.Should().Be(later.JobId);
        retry.IsDuplicate.Should().BeTrue("the request's job exists now");
        (await inner.ReadEverythingAsync()).Count(static e => e.EventType == ExecutionEventTypes.Created).Should().Be(1);
    }

    [Fact]
    public async Task CreateJobAsync_ClaimantDiedBeforeCreating_ItsRetryCreatesTheClaimedJob()
    {
        var inner = new InMemoryJobEventJournal();
        var hooked = new HookJournal(inner);
        using JobEngine sut = TestEngine.Create(hooked, new ManualTimeProvider(), TestPlans.Order);
        hooked.BeforeAppend = (_, events) => events[0].EventType == ExecutionEventTypes.Created
            ? throw new IOException("the node died after its claim")
            : Task.CompletedTask;
        Func<Task> claimOnly = async () => await sut.CreateJobAsync(WithKey("req-a", "k"));
        await claimOnly.Should().ThrowAsync<IOException>();
        hooked.BeforeAppend = null;

        JobCreationResult retry = await sut.CreateJobAsync(WithKey("req-a", "k"));

        retry.IsDeduplicated.Should().BeFalse();
        retry.IsDuplicate.Should().BeFalse("the first call never created the job");
        retry.State.DedupeKey.Should().Be("k");
        (await inner.ReadEverythingAsync()).Should().ContainSingle(static e => e.EventType == ExecutionEventTypes.DedupeClaimed, "the retry found its own claim");
        (await sut.CreateJobAsync(WithKey("req-c", "k"))).JobId.Should().Be(retry.JobId);
    }

    [Fact]
    public async Task KeyStream_IsNotAJob_AndParsesBack()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        await sut.CreateJobAsync(WithKey("req-1", "k"));
        JobId stream = (await journal.ReadEverythingAsync()).Single(static e => e.EventType == ExecutionEventTypes.DedupeClaimed).JobId;

        stream.IsDedupe.Should().BeTrue();
        stream.IsReservedStream.Should().BeTrue();
        JobId.TryParse(stream.Value, out JobId parsed).Should().BeTrue("journals read stream ids back with TryParse");
        parsed.Should().Be(stream);
        Func<Task> read = async () => await sut.GetStateAsync(stream);
        await read.Should().ThrowAsync<ArgumentException>("a key's stream is never a job");
        JobId.TryParse("$dedupe:not-a-digest", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\tinside")]
    [InlineData(null)]
    public async Task CreateJobAsync_BadDedupeKey_ThrowsNamingDedupeKeyAndAppendsNothing(string? key)
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        key ??= new string('k', EventAttributes.MaxValueLength + 1);

        Func<Task> act = async () => await sut.CreateJobAsync(WithKey("req-1", key));

        InvalidJobRequestException thrown = (await act.Should().ThrowAsync<InvalidJobRequestException>()).Which;
        thrown.Field.Should().Be(nameof(CreateJobRequest.DedupeKey));
        thrown.ParamName.Should().Be("request.DedupeKey");
        journal.Count.Should().Be(0);
    }

    [Fact]
    public void Options_NegativeDedupeWindow_FailsValidation()
    {
        var sut = new JobEngineOptionsValidator();

        Microsoft.Extensions.Options.ValidateOptionsResult result = sut.Validate(null, new JobEngineOptions { DedupeTerminalWindow = TimeSpan.FromSeconds(-1) });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(nameof(JobEngineOptions.DedupeTerminalWindow));
    }

    private static CreateJobRequest WithKey(string requestId, string key, string orderId = "42", string? jobId = null) =>
        TestEvents.Create(requestId, jobId, orderId) with { DedupeKey = key };
}
