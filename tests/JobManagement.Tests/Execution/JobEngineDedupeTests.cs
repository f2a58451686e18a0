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
    public async Task CreateJobAsync_TwoNodesRaceWithDeterministicJobId_JournalArbitratesAndLoserIsDeduplicated()
    {
        var inner = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using JobEngine nodeA = TestEngine.Create(inner, time, TestPlans.Order);
        var hooked = new HookJournal(inner);
        using JobEngine nodeB = TestEngine.Create(hooked, time, TestPlans.Order);
        bool raced = false;
        hooked.BeforeAppend = async (jobId, events) =>
        {
            if (!raced && events[0].EventType == ExecutionEventTypes.Created)
            {
                // Node A creates the same key's job after node B looked and before B appends.
                raced = true;
                await nodeA.CreateJobAsync(WithKey("req-a", "k", jobId: "nightly-k"));
            }
        };

        JobCreationResult b = await nodeB.CreateJobAsync(WithKey("req-b", "k", jobId: "nightly-k"));

        raced.Should().BeTrue();
        b.IsDeduplicated.Should().BeTrue();
        b.JobId.Should().Be(JobId.Parse("nightly-k"));
        (await inner.ReadStreamListAsync(b.JobId))[0].EventId.Should().Be(EventId.Parse("req-a"));
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
