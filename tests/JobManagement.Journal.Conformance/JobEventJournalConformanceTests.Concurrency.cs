namespace JobManagement.Journal.Conformance;

/// <summary>Concurrent writers: one winner per expected version, no gaps, unique positions.</summary>
public abstract partial class JobEventJournalConformanceTests
{
    [SkippableFact]
    public async Task AppendAsync_ConcurrentWritersExpectingTheSameVersion_ExactlyOneWinsEachVersion()
    {
        const int Rounds = 40;
        const int Writers = 8;
        JobId job = JobId.Parse("job-contended");
        List<string> winners = [];

        for (int round = 0; round < Rounds; round++)
        {
            long expected = round;
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<(string EventId, JobConcurrencyException? Lost)>[] attempts = [.. Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                string eventId = $"r{expected}-w{writer}";
                await start.Task;
                try
                {
                    await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(expected), [NewEvent(eventId)]);
                    return (eventId, (JobConcurrencyException?)null);
                }
                catch (JobConcurrencyException lost)
                {
                    return (eventId, lost);
                }
            }))];
            start.SetResult();

            (string EventId, JobConcurrencyException? Lost)[] results = await Task.WhenAll(attempts).WaitAsync(SafetyTimeout);

            results.Where(static r => r.Lost is null).Should().ContainSingle($"exactly one writer wins version {expected + 1}");
            results.Where(static r => r.Lost is not null).Should().AllSatisfy(r =>
            {
                r.Lost!.ExpectedVersion.Should().Be(ExpectedStreamVersion.Exactly(expected));
                r.Lost.ActualVersion.Should().Be(expected + 1);
            });
            winners.Add(results.Single(static r => r.Lost is null).EventId);
        }

        List<JobEventLogEntry> stream = await ReadStreamAsync(job);
        stream.Select(static e => e.Sequence).Should().Equal(Enumerable.Range(1, Rounds).Select(static i => (long)i));
        stream.Select(static e => e.EventId.Value).Should().Equal(winners);
        (await ReadAllAsync()).Should().HaveCount(Rounds);
    }

    [SkippableFact]
    public async Task AppendAsync_ConcurrentRetryingWritersOnOneStream_LeaveNoGapsAndLoseNoEvent()
    {
        const int Writers = 8;
        const int EventsPerWriter = 25;
        JobId job = JobId.Parse("job-contended");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task[] writers = [.. Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            await start.Task;
            for (int i = 0; i < EventsPerWriter; i++)
            {
                while (true)
                {
                    long version = await Sut.GetStreamVersionAsync(job);
                    try
                    {
                        AppendResult result = await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(version), [NewEvent($"w{writer}-{i}")]);
                        result.StreamVersion.Should().Be(version + 1);
                        break;
                    }
                    catch (JobConcurrencyException)
                    {
                        // Another writer won this version: read the new one and try again.
                    }
                }
            }
        }))];
        start.SetResult();
        await Task.WhenAll(writers).WaitAsync(SafetyTimeout);

        List<JobEventLogEntry> stream = await ReadStreamAsync(job);
        stream.Select(static e => e.Sequence).Should().Equal(Enumerable.Range(1, Writers * EventsPerWriter).Select(static i => (long)i));
        stream.Select(static e => e.EventId.Value).Should().BeEquivalentTo(
            Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, EventsPerWriter).Select(i => $"w{w}-{i}")));
        stream.Select(static e => e.Position).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        foreach (IGrouping<string, JobEventLogEntry> writer in stream.GroupBy(static e => e.EventId.Value.Split('-')[0]))
        {
            writer.Select(static e => int.Parse(e.EventId.Value.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture))
                .Should().BeInAscendingOrder("each writer's events keep its own order");
        }
    }

    [SkippableFact]
    public async Task AppendAsync_ConcurrentWritersOnDifferentStreams_PositionsUniqueAndGlobalReadSeesEachEntryOnce()
    {
        const int Streams = 8;
        const int BatchesPerStream = 250;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task[] writers = [.. Enumerable.Range(0, Streams).Select(s => Task.Run(async () =>
        {
            JobId job = JobId.Parse($"job-{s}");
            await start.Task;
            for (int batch = 0; batch < BatchesPerStream; batch++)
            {
                // Alternate single events and pairs, so batches of different sizes interleave.
                NewJobEvent[] events = batch % 2 == 0
                    ? [NewEvent($"s{s}-b{batch}-0")]
                    : [NewEvent($"s{s}-b{batch}-0"), NewEvent($"s{s}-b{batch}-1")];
                long version = await Sut.GetStreamVersionAsync(job);
                await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(version), events);
            }
        }))];
        start.SetResult();
        await Task.WhenAll(writers).WaitAsync(SafetyTimeout);

        int perStream = (BatchesPerStream / 2) + (BatchesPerStream / 2 * 2);
        List<JobEventLogEntry> all = await ReadAllAsync(pageSize: 7);
        all.Should().HaveCount(Streams * perStream);
        all.Select(static e => e.Position).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        all.Select(static e => (e.JobId, e.EventId)).Should().OnlyHaveUniqueItems();
        foreach (IGrouping<JobId, JobEventLogEntry> stream in all.GroupBy(static e => e.JobId))
        {
            stream.Select(static e => e.Sequence).Should().Equal(Enumerable.Range(1, perStream).Select(static i => (long)i), $"stream {stream.Key} has no gaps");
            (await Sut.GetStreamVersionAsync(stream.Key)).Should().Be(perStream);
        }

        all.GroupBy(static e => e.JobId).Should().HaveCount(Streams);
    }
}
