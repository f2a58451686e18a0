using JobManagement.Tests.Support;

namespace JobManagement.Tests.Properties;

/// <summary>Property (c): Project(plan, entries) equals folding Apply one entry at a time, and replaying a prefix is harmless.</summary>
public sealed class JobStateProjectorPropertyTests
{
    private const int Seeds = 200;

    [Fact]
    public async Task Project_EqualsFoldingApply_OverEngineWrittenStreams()
    {
        for (int seed = 0; seed < Seeds; seed++)
        {
            (InMemoryJobEventJournal journal, Dictionary<JobId, JobState> states) = await Scripts.RunFreshAsync(Scripts.Generate(new Random(seed + 2000)));

            foreach (JobState state in states.Values)
            {
                JobPlan plan = Scripts.Plans.Single(p => p.JobType == state.JobType);
                List<JobEventLogEntry> entries = await journal.ReadStreamListAsync(state.JobId);

                JobState projected = JobStateProjector.Project(plan, entries);
                JobState folded = Fold(plan, entries);

                folded.Should().Be(projected, $"seed {seed}, job {state.JobId}");
                projected.Should().Be(state, $"seed {seed}, job {state.JobId}");
            }
        }
    }

    [Fact]
    public void Project_EqualsFoldingApply_OverRandomHandWrittenStreams()
    {
        string[] types = ["payment.captured", "parcel.delivered", "payment.declined", "newsletter.sent"];
        for (int seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(seed + 3000);
            JobPlan plan = random.Next(2) == 0 ? TestPlans.Order : TestPlans.CompensatedOrder;
            var stream = new StreamBuilder(plan);
            int length = random.Next(1, 25);
            for (int i = 0; i < length; i++)
            {
                switch (random.Next(20))
                {
                    case 0: stream.Started($"start-{i}"); break;
                    case 1: stream.AbortRequested($"reason {i}", $"abort-{i}"); break;
                    case 2: stream.DeadlineExpired($"deadline-{i}"); break;
                    case 3: stream.CompensationCompleted(eventId: $"comp-{i}"); break;
                    case 4: stream.CompensationFailed($"detail {i}", $"comp-{i}"); break;
                    default:
                        stream.Domain($"e-{i}", types[random.Next(random.Next(6) == 0 ? types.Length : 2)], orderId: random.Next(5) == 0 ? "43" : "42", taskId: random.Next(4) == 0 ? "t" : null);
                        break;
                }
            }

            JobState projected = stream.Project();
            JobState folded = Fold(plan, stream.Entries);
            int cut = random.Next(1, stream.Entries.Count + 1);
            JobState replayed = stream.Entries.Aggregate(JobStateProjector.Project(plan, stream.Entries.Take(cut)), (s, e) => JobStateProjector.Apply(plan, s, e));

            folded.Should().Be(projected, $"seed {seed}");
            replayed.Should().Be(projected, $"seed {seed}: re-applying entries the state already covers changes nothing");
            projected.Version.Should().Be(stream.Entries.Count, $"seed {seed}");
        }
    }

    private static JobState Fold(JobPlan plan, IReadOnlyList<JobEventLogEntry> entries) =>
        entries.Skip(1).Aggregate(JobStateProjector.Initial(plan, entries[0]), (state, entry) => JobStateProjector.Apply(plan, state, entry));
}
