using JobManagement.Tests.Support;

namespace JobManagement.Tests.Properties;

/// <summary>Properties (b) and (d) over seeded random scenarios of several jobs.</summary>
public sealed class JobEnginePropertyTests
{
    private const int Seeds = 200;

    [Fact]
    public async Task IngestAsync_RandomisedObservabilityIds_IdenticalStates()
    {
        for (int seed = 0; seed < Seeds; seed++)
        {
            List<ScriptStep> script = Scripts.Generate(new Random(seed));
            var ids = new Random(~seed);

            (_, Dictionary<JobId, JobState> plain) = await Scripts.RunFreshAsync(script);
            (_, Dictionary<JobId, JobState> traced) = await Scripts.RunFreshAsync(script, () => RandomObservability(ids));

            traced.Should().BeEquivalentTo(plain, o => o.ComparingByValue<JobState>(), $"seed {seed}");
            foreach ((JobId jobId, JobState state) in plain)
            {
                JobManagementJson.Serialize(traced[jobId]).Should().Equal(JobManagementJson.Serialize(state), $"seed {seed}, job {jobId}");
            }
        }
    }

    [Fact]
    public async Task GetStateAsync_FreshEngineOverSameJournal_EqualStates()
    {
        for (int seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(seed + 1000);
            List<ScriptStep> script = Scripts.Generate(random);
            var options = new JobEngineOptions { StateCacheCapacity = random.Next(1, 4) };
            (InMemoryJobEventJournal journal, Dictionary<JobId, JobState> original) = await Scripts.RunFreshAsync(script, options: options);

            using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), Scripts.Plans);

            foreach ((JobId jobId, JobState state) in original)
            {
                JobState? rebuilt = await sut.GetStateAsync(jobId);
                rebuilt.Should().Be(state, $"seed {seed}, job {jobId}");
                rebuilt.Should().Be(await journal.ProjectAsync(sut.Plans.Get(state.JobType), jobId), $"seed {seed}, job {jobId}");
            }
        }
    }

    private static EventObservability RandomObservability(Random random) => random.Next(4) == 0
        ? EventObservability.None
        : new EventObservability($"exec-{random.Next()}", $"{random.NextInt64():x16}{random.NextInt64():x16}", random.Next(2) == 0 ? null : $"{random.NextInt64():x16}");
}
