using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Properties;

/// <summary>
/// Property (a): arrival order is not assumed. Any permutation of one job's deliveries (its
/// creation and start, events addressed by JobId and routed by correlation, many arriving before
/// the job exists), with redeliveries injected anywhere, ends in the same satisfaction.
/// </summary>
/// <remarks>
/// Raw counts are order-independent only while the job is not terminal: once it has Succeeded,
/// later matches are record-only (invariant 4), so a surplus event counts or not depending on
/// whether it arrived before the success. The variants below say which property holds when.
/// </remarks>
public sealed class DeliveryOrderPropertyTests
{
    private const int Seeds = 200;
    private static readonly JobId Job = JobId.Parse("order-42");

    public enum Variant
    {
        /// <summary>Never started: nothing is terminal, so every count (surplus and unmatched too) is exact.</summary>
        NeverStarted,

        /// <summary>Started, with exactly the events the plan needs: Succeeded, exact counts.</summary>
        StartedExactEvents,

        /// <summary>Started, with surplus matches: Succeeded, every expectation satisfied by exactly Required entries.</summary>
        StartedWithSurplus,
    }

    [Theory]
    [InlineData(Variant.NeverStarted)]
    [InlineData(Variant.StartedExactEvents)]
    [InlineData(Variant.StartedWithSurplus)]
    public async Task IngestAsync_AnyDeliveryOrderWithDuplicates_SameSatisfaction(Variant variant)
    {
        int seedsWithEarlyAddressed = 0;
        int seedsWithEarlyRouted = 0;
        for (int seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(seed * 31 + (int)variant);
            Deliveries deliveries = Generate(random, variant);
            List<IncomingEvent> beforeCreation = [.. deliveries.Steps.TakeWhile(s => s is not CreateStep).OfType<IngestStep>().Select(s => s.Event)];
            seedsWithEarlyAddressed += beforeCreation.Any(e => e.JobId is not null) ? 1 : 0;
            seedsWithEarlyRouted += beforeCreation.Any(e => e.JobId is null) ? 1 : 0;
            var journal = new InMemoryJobEventJournal();
            var time = new ManualTimeProvider();
            using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order);

            foreach (ScriptStep step in deliveries.Steps)
            {
                await Scripts.RunAsync(sut, time, [step, new AdvanceStep(TimeSpan.FromSeconds(1))]);
            }

            string because = $"seed {seed} ({variant}); order: {deliveries}";
            JobState state = (await sut.GetStateAsync(Job))!;
            List<JobEventLogEntry> stream = await journal.ReadStreamListAsync(Job);
            stream.Where(e => e.Lane == EventLane.Domain).Select(e => e.EventId)
                .Should().BeEquivalentTo(deliveries.ReachingJob, because);
            stream.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, stream.Count).Select(i => (long)i), because);
            state.Should().Be(JobStateProjector.Project(TestPlans.Order, stream), because);
            switch (variant)
            {
                case Variant.NeverStarted:
                    state.Status.Should().Be(JobStatus.Created, because);
                    state.Expectations.Select(e => (e.Count, e.SurplusCount)).Should().Equal(
                        [(deliveries.Payments, deliveries.Payments - 1), (deliveries.Parcels, Math.Max(0, deliveries.Parcels - 2))], because);
                    state.UnmatchedCount.Should().Be(deliveries.AddressedNoise, because);
                    break;
                case Variant.StartedExactEvents:
                    state.Status.Should().Be(JobStatus.Succeeded, because);
                    state.Expectations.Select(e => (e.Count, e.SurplusCount)).Should().Equal([(1, 0), (2, 0)], because);
                    break;
                case Variant.StartedWithSurplus:
                    state.Status.Should().Be(JobStatus.Succeeded, because);
                    state.Expectations.Select(e => e.SatisfiedBy.Length).Should().Equal([1, 2], because);
                    state.Expectations.Should().OnlyContain(e => e.Count >= e.Required, because);
                    state.Expectations[0].Count.Should().BeLessThanOrEqualTo(deliveries.Payments, because);
                    state.Expectations[1].Count.Should().BeLessThanOrEqualTo(deliveries.Parcels, because);
                    break;
            }
        }

        seedsWithEarlyAddressed.Should().BeGreaterThan(Seeds / 4, "the generator must often address events to the job before it exists");
        seedsWithEarlyRouted.Should().BeGreaterThan(Seeds / 4, "the generator must often route events by correlation before the job exists");
    }

    private static Deliveries Generate(Random random, Variant variant)
    {
        int payments = variant == Variant.StartedExactEvents ? 1 : random.Next(1, 4);
        int parcels = variant == Variant.StartedExactEvents ? 2 : random.Next(2, 5);
        int routedNoise = random.Next(3);
        int addressedNoise = variant == Variant.NeverStarted ? random.Next(3) : 0;
        List<ScriptStep> core = [new CreateStep(TestEvents.Create("req-1", Job.Value, start: false))];
        List<EventId> reaching = [];
        void Add(string id, string type, string orderId, bool addressed, bool reaches)
        {
            core.Add(new IngestStep(TestEvents.Domain(id, type, orderId, jobId: addressed ? Job.Value : null)));
            if (reaches)
            {
                reaching.Add(EventId.Parse(id));
            }
        }

        for (int i = 0; i < payments; i++)
        {
            Add($"pay-{i}", "payment.captured", "42", random.Next(2) == 0, reaches: true);
        }

        for (int i = 0; i < parcels; i++)
        {
            Add($"parcel-{i}", "parcel.delivered", "42", random.Next(2) == 0, reaches: true);
        }

        for (int i = 0; i < routedNoise; i++)
        {
            Add($"other-order-{i}", random.Next(2) == 0 ? "payment.captured" : "payment.declined", "43", addressed: false, reaches: false);
        }

        for (int i = 0; i < addressedNoise; i++)
        {
            Add($"news-{i}", "newsletter.sent", "42", addressed: true, reaches: true);
        }

        List<ScriptStep> steps = [.. core];
        int duplicates = random.Next(8);
        for (int i = 0; i < duplicates; i++)
        {
            steps.Add(core[random.Next(core.Count)]);
        }

        ScriptStep[] shuffled = [.. steps];
        random.Shuffle(shuffled);
        steps = [.. shuffled];
        if (variant != Variant.NeverStarted)
        {
            int firstCreate = steps.FindIndex(s => s is CreateStep);
            int starts = random.Next(1, 3);
            for (int i = 0; i < starts; i++)
            {
                steps.Insert(random.Next(firstCreate + 1, steps.Count + 1), new StartStep(Job, EventId.Parse("kick-1")));
            }
        }

        return new Deliveries(steps, reaching, payments, parcels, addressedNoise);
    }

    private sealed record Deliveries(List<ScriptStep> Steps, List<EventId> ReachingJob, int Payments, int Parcels, int AddressedNoise)
    {
        public override string ToString() => string.Join(" ", Steps.Select(static s => s switch
        {
            CreateStep => "create",
            StartStep => "start",
            IngestStep ingest => $"{ingest.Event.EventId}{(ingest.Event.JobId is null ? "" : "@job")}",
            _ => s.GetType().Name,
        }));
    }
}
