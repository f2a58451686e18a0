namespace JobManagement.Journal.Conformance;

/// <summary>Appending: sequences, positions, atomic batches and the expected-version check.</summary>
public abstract partial class JobEventJournalConformanceTests
{
    [SkippableFact]
    public async Task AppendAsync_NewStream_AssignsSequencesFromOneInSubmissionOrder()
    {
        JobId job = JobId.Parse("job-1");

        AppendResult result = await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, [NewEvent("e1"), NewEvent("e2"), NewEvent("e3")]);

        result.JobId.Should().Be(job);
        result.StreamVersion.Should().Be(3);
        result.AllDuplicates.Should().BeFalse();
        result.Outcomes.Select(static o => o.Entry.EventId.Value).Should().Equal("e1", "e2", "e3");
        result.Outcomes.Select(static o => o.Entry.Sequence).Should().Equal(1, 2, 3);
        result.Outcomes.Should().OnlyContain(static o => !o.IsDuplicate && !o.IsConflict);
        result.Outcomes.Select(static o => o.Entry.Position).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [SkippableFact]
    public async Task AppendAsync_SeveralBatches_ContinuesSequencesWithoutGaps()
    {
        JobId job = JobId.Parse("job-1");
        await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, [NewEvent("e1"), NewEvent("e2")]);

        AppendResult second = await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(2), [NewEvent("e3")]);
        AppendResult third = await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(3), [NewEvent("e4"), NewEvent("e5")]);

        second.StreamVersion.Should().Be(3);
        third.StreamVersion.Should().Be(5);
        List<JobEventLogEntry> stream = await ReadStreamAsync(job);
        stream.Select(static e => e.Sequence).Should().Equal(1, 2, 3, 4, 5);
        stream.Select(static e => e.EventId.Value).Should().Equal("e1", "e2", "e3", "e4", "e5");
        stream.Select(static e => e.Position).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [SkippableFact]
    public async Task AppendAsync_InterleavedStreams_SequencesPerStreamAndPositionsGlobal()
    {
        JobId a = JobId.Parse("job-a");
        JobId b = JobId.Parse("job-b");

        await AppendAsync(a, NewEvent("a1"));
        await AppendAsync(b, NewEvent("b1"));
        await AppendAsync(a, NewEvent("a2"));
        await AppendAsync(b, NewEvent("b2"), NewEvent("b3"));

        List<JobEventLogEntry> all = await ReadAllAsync();
        all.Select(static e => e.EventId.Value).Should().Equal("a1", "b1", "a2", "b2", "b3");
        all.Select(static e => e.Sequence).Should().Equal(1, 1, 2, 2, 3);
        all.Select(static e => e.Position).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        (await Sut.GetStreamVersionAsync(a)).Should().Be(2);
        (await Sut.GetStreamVersionAsync(b)).Should().Be(3);
    }

    [SkippableFact]
    public async Task AppendAsync_UnroutedStream_IsAStreamLikeAnyOther()
    {
        AppendResult result = await AppendAsync(JobId.Unrouted, NewEvent("e1"), NewEvent("e2"));

        result.StreamVersion.Should().Be(2);
        (await ReadStreamAsync(JobId.Unrouted)).Select(static e => e.JobId).Should().AllSatisfy(static id => id.IsUnrouted.Should().BeTrue());
    }

    [SkippableFact]
    public async Task AppendAsync_NoStreamOnEmptyStream_Appends()
    {
        AppendResult result = await Sut.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [NewEvent("e1")]);

        result.StreamVersion.Should().Be(1);
    }

    [SkippableFact]
    public async Task AppendAsync_NoStreamOnExistingStream_ThrowsWithExpectedAndActual()
    {
        JobId job = JobId.Parse("job-1");
        await AppendAsync(job, NewEvent("e1"), NewEvent("e2"));

        Func<Task> act = async () => await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, [NewEvent("e3")]);

        JobConcurrencyException thrown = (await act.Should().ThrowAsync<JobConcurrencyException>()).Which;
        thrown.JobId.Should().Be(job);
        thrown.ExpectedVersion.Should().Be(ExpectedStreamVersion.NoStream);
        thrown.ActualVersion.Should().Be(2);
        (await Sut.GetStreamVersionAsync(job)).Should().Be(2);
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public async Task AppendAsync_ExactlyWrongVersion_ThrowsWithExpectedAndActualAndAppendsNothing(long expected)
    {
        JobId job = JobId.Parse("job-1");
        await AppendAsync(job, NewEvent("e1"), NewEvent("e2"));

        Func<Task> act = async () => await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(expected), [NewEvent("e3")]);

        JobConcurrencyException thrown = (await act.Should().ThrowAsync<JobConcurrencyException>()).Which;
        thrown.JobId.Should().Be(job);
        thrown.ExpectedVersion.Should().Be(ExpectedStreamVersion.Exactly(expected));
        thrown.ActualVersion.Should().Be(2);
        (await ReadAllAsync()).Should().HaveCount(2);
        (await Sut.FindByEventIdAsync(EventId.Parse("e3"))).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AppendAsync_ExactlyVersionOfEmptyStreamIsZero_Appends()
    {
        JobId job = JobId.Parse("job-1");

        AppendResult result = await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(0), [NewEvent("e1")]);

        result.StreamVersion.Should().Be(1);
    }

    [SkippableFact]
    public async Task AppendAsync_ExactlyNonZeroOnMissingStream_ThrowsWithActualZero()
    {
        JobId job = JobId.Parse("job-1");

        Func<Task> act = async () => await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(1), [NewEvent("e1")]);

        (await act.Should().ThrowAsync<JobConcurrencyException>()).Which.ActualVersion.Should().Be(0);
        (await Sut.GetStreamVersionAsync(job)).Should().Be(0);
        (await ReadAllAsync()).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AppendAsync_ExactlyCurrentVersion_Appends()
    {
        JobId job = JobId.Parse("job-1");
        await AppendAsync(job, NewEvent("e1"), NewEvent("e2"));

        AppendResult result = await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(2), [NewEvent("e3")]);

        result.StreamVersion.Should().Be(3);
        result.Outcomes.Should().ContainSingle().Which.Entry.Sequence.Should().Be(3);
    }

    [SkippableFact]
    public async Task AppendAsync_Any_AppendsWhateverTheVersion()
    {
        JobId job = JobId.Parse("job-1");

        AppendResult first = await Sut.AppendAsync(job, ExpectedStreamVersion.Any, [NewEvent("e1")]);
        AppendResult second = await Sut.AppendAsync(job, ExpectedStreamVersion.Any, [NewEvent("e2"), NewEvent("e3")]);

        first.StreamVersion.Should().Be(1);
        second.StreamVersion.Should().Be(3);
    }

    [SkippableFact]
    public async Task AppendAsync_BatchWithConcurrencyConflict_AppendsNothingOfTheBatch()
    {
        JobId job = JobId.Parse("job-1");
        await AppendAsync(job, NewEvent("e1"), NewEvent("e2"));

        Func<Task> act = async () => await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(1), [NewEvent("e3"), NewEvent("e4"), NewEvent("e5")]);

        await act.Should().ThrowAsync<JobConcurrencyException>();
        (await ReadStreamAsync(job)).Select(static e => e.EventId.Value).Should().Equal("e1", "e2");
        (await ReadAllAsync()).Should().HaveCount(2);
        foreach (string id in new[] { "e3", "e4", "e5" })
        {
            (await Sut.FindByEventIdAsync(EventId.Parse(id))).Should().BeEmpty();
        }

        // The stream is usable afterwards: the failed batch left no sequence behind.
        AppendResult retried = await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(2), [NewEvent("e3")]);
        retried.Outcomes[0].Entry.Sequence.Should().Be(3);
    }

    [SkippableFact]
    public async Task AppendAsync_BatchWithInvalidLaterEvent_AppendsNothingOfTheBatch()
    {
        JobId job = JobId.Parse("job-1");
        NewJobEvent invalid = NewEvent("e3") with { EventId = default };

        Func<Task> act = async () => await AppendAsync(job, NewEvent("e1"), NewEvent("e2"), invalid);

        await act.Should().ThrowAsync<ArgumentException>();
        (await Sut.GetStreamVersionAsync(job)).Should().Be(0);
        (await ReadAllAsync()).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AppendAsync_SingleEventOverload_BehavesAsABatchOfOne()
    {
        JobId job = JobId.Parse("job-1");

        AppendResult first = await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, FullEvent("e1"));
        AppendResult again = await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(7), FullEvent("e1") with { Attributes = EventAttributes.Empty });
        Func<Task> stale = async () => await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, NewEvent("e2"));

        first.StreamVersion.Should().Be(1);
        first.Outcomes.Should().ContainSingle().Which.Should().Match<AppendOutcome>(o => !o.IsDuplicate && o.Entry.Sequence == 1 && o.Entry.EventId == EventId.Parse("e1"));
        again.Outcomes.Should().ContainSingle().Which.Should().Match<AppendOutcome>(o => o.IsDuplicate && o.IsConflict && o.Entry.Sequence == 1, "a duplicate skips the version check and reports the conflict");
        await stale.Should().ThrowAsync<JobConcurrencyException>();
        (await ReadAllAsync()).Should().ContainSingle();
    }
}
