namespace JobManagement.Journal.Conformance;

/// <summary>Reading: streams from a sequence, the journal by pages, stream versions, and field round trips.</summary>
public abstract partial class JobEventJournalConformanceTests
{
    [SkippableTheory]
    [InlineData(1, new[] { "e1", "e2", "e3", "e4" })]
    [InlineData(2, new[] { "e2", "e3", "e4" })]
    [InlineData(4, new[] { "e4" })]
    [InlineData(5, new string[0])]
    [InlineData(1000, new string[0])]
    public async Task ReadStreamAsync_FromSequence_ReturnsThatEntryOnwardInSequenceOrder(long fromSequence, string[] expected)
    {
        JobId job = JobId.Parse("job-1");
        await AppendAsync(job, NewEvent("e1"), NewEvent("e2"));
        await AppendAsync(JobId.Parse("job-2"), NewEvent("x1"));
        await AppendAsync(job, NewEvent("e3"), NewEvent("e4"));

        List<JobEventLogEntry> read = await ReadStreamAsync(job, fromSequence);

        read.Select(static e => e.EventId.Value).Should().Equal(expected);
        read.Where(e => e.JobId != job).Should().BeEmpty("a stream read returns only that stream's entries");
        read.Select(static e => e.Sequence).Should().BeInAscendingOrder();
    }

    [SkippableFact]
    public async Task ReadStreamAsync_MissingStream_ReturnsEmpty()
    {
        await AppendAsync(JobId.Parse("job-1"), NewEvent("e1"));

        List<JobEventLogEntry> read = await ReadStreamAsync(JobId.Parse("job-missing"));

        read.Should().BeEmpty();
    }

    [SkippableFact]
    public async Task ReadHeadsAsync_AgreesWithReadAllAsync_AndNamesTheJobTypeOfCreatedEntriesOnly()
    {
        Skip.IfNot(Sut is IJobEventHeadReader, "this journal does not read heads");
        var heads = (IJobEventHeadReader)Sut;
        await AppendAsync(JobId.Parse("job-1"), JobCreated("c1", "order-fulfillment", ("orderId", "1")), NewEvent("e1"));
        await AppendAsync(JobId.Parse("job-2"), JobCreated("c2", "invoice.send"));
        await AppendAsync(JobId.Parse("job-1"), NewEvent("e2"), NewEvent("e3", "thing.updated"));
        await AppendAsync(JobId.Unrouted, NewEvent("u1"));

        IReadOnlyList<JobEventLogEntry> entries = await Sut.ReadAllAsync(1, 100);
        IReadOnlyList<JobEventHead> all = await heads.ReadHeadsAsync(1, 100);
        IReadOnlyList<JobEventHead> page = await heads.ReadHeadsAsync(all[2].Position, 2);

        all.Should().Equal(entries.Select(static e => new JobEventHead(
            e.Position, e.JobId, e.Sequence, e.EventType,
            e.EventType == ExecutionEventTypes.Created && JobCreatedFact.TryRead(e, out JobType type, out _) ? type : null)));
        all.Where(static h => h.CreatedJobType is not null).Select(static h => h.CreatedJobType!.Value.Value).Should().Equal("order-fulfillment", "invoice.send");
        page.Select(static h => h.Position).Should().Equal(all[2].Position, all[3].Position);
    }

    [SkippableFact]
    public async Task ReadAllAsync_EmptyJournal_ReturnsEmpty()
    {
        IReadOnlyList<JobEventLogEntry> page = await Sut.ReadAllAsync(1, 10);

        page.Should().BeEmpty();
    }

    [SkippableFact]
    public async Task ReadAllAsync_Pages_ReturnMaxCountUntilTheEndAndCoverEveryEntryOnce()
    {
        for (int i = 1; i <= 10; i++)
        {
            await AppendAsync(JobId.Parse($"job-{i % 3}"), NewEvent($"e{i}"));
        }

        List<IReadOnlyList<JobEventLogEntry>> pages = [];
        long from = 1;
        while (true)
        {
            IReadOnlyList<JobEventLogEntry> page = await Sut.ReadAllAsync(from, 4);
            pages.Add(page);
            if (page.Count < 4)
            {
                break;
            }

            from = page[^1].Position + 1;
        }

        pages.Select(static p => p.Count).Should().Equal(4, 4, 2);
        pages.SelectMany(static p => p).Select(static e => e.EventId.Value)
            .Should().Equal(Enumerable.Range(1, 10).Select(static i => $"e{i}"));
        pages.SelectMany(static p => p).Select(static e => e.Position).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [SkippableFact]
    public async Task ReadAllAsync_FromPositionOfAnEntry_StartsAtThatEntry()
    {
        await AppendAsync(JobId.Parse("job-1"), NewEvent("e1"), NewEvent("e2"), NewEvent("e3"));
        List<JobEventLogEntry> all = await ReadAllAsync();

        IReadOnlyList<JobEventLogEntry> fromSecond = await Sut.ReadAllAsync(all[1].Position, 10);
        IReadOnlyList<JobEventLogEntry> pastTheEnd = await Sut.ReadAllAsync(all[^1].Position + 1, 10);

        fromSecond.Select(static e => e.EventId.Value).Should().Equal("e2", "e3");
        pastTheEnd.Should().BeEmpty();
    }

    [SkippableFact]
    public async Task ReadAllAsync_MaxCountOne_ReturnsOneEntry()
    {
        await AppendAsync(JobId.Parse("job-1"), NewEvent("e1"), NewEvent("e2"));

        IReadOnlyList<JobEventLogEntry> page = await Sut.ReadAllAsync(1, 1);

        page.Should().ContainSingle().Which.EventId.Value.Should().Be("e1");
    }

    [SkippableFact]
    public async Task GetStreamVersionAsync_TracksAppendsAndIgnoresDuplicates()
    {
        JobId job = JobId.Parse("job-1");
        long missing = await Sut.GetStreamVersionAsync(job);
        await AppendAsync(job, NewEvent("e1"), NewEvent("e2"));
        long afterTwo = await Sut.GetStreamVersionAsync(job);
        await AppendAsync(job, NewEvent("e1"));
        long afterDuplicate = await Sut.GetStreamVersionAsync(job);
        await AppendAsync(JobId.Parse("job-2"), NewEvent("e3"));

        long afterOtherStream = await Sut.GetStreamVersionAsync(job);

        missing.Should().Be(0);
        afterTwo.Should().Be(2);
        afterDuplicate.Should().Be(2);
        afterOtherStream.Should().Be(2);
    }

    [SkippableFact]
    public async Task ReadAsync_EntryWithEveryField_RoundTripsEveryField()
    {
        JobId job = JobId.Parse("order-42-fulfillment");
        NewJobEvent domain = FullEvent("psp-evt-1001");
        NewJobEvent execution = JobCreated("req-1", "order-fulfillment", ("orderId", "42")) with
        {
            Payload = Json("""["input", 1, {"nested": [true, false, null]}]"""),
            Observability = new EventObservability(ExecutionId: "exec-9"),
            RecordedAt = RecordedAt.AddMicroseconds(17),
        };
        NewJobEvent minimal = NewEvent("e-min");

        AppendResult appended = await AppendAsync(job, execution, domain, minimal);

        NewJobEvent[] expected = [execution, domain, minimal];
        List<JobEventLogEntry> stream = await ReadStreamAsync(job);
        List<JobEventLogEntry> all = await ReadAllAsync();
        for (int i = 0; i < expected.Length; i++)
        {
            ShouldCarry(appended.Outcomes[i].Entry, job, expected[i]);
            ShouldCarry(stream[i], job, expected[i]);
            ShouldCarry(all[i], job, expected[i]);
            ShouldCarry((await Sut.FindByEventIdAsync(expected[i].EventId)).Should().ContainSingle().Subject, job, expected[i]);
            stream[i].Position.Should().Be(appended.Outcomes[i].Entry.Position);
            all[i].Sequence.Should().Be(i + 1);
        }

        stream[0].TaskId.Should().BeNull();
        stream[2].Payload.Should().BeNull();
        stream[2].Attributes.Should().BeEmpty();
        stream[2].Observability.Should().Be(EventObservability.None);
    }

    [SkippableTheory]
    [InlineData("""{"a":{"b":{"c":[1,2.5,-3e10]}}}""")]
    [InlineData("""[]""")]
    [InlineData("""{}""")]
    [InlineData("""  "just a string with \"escapes\" and \u2603"  """)]
    [InlineData("""12345678901234567890""")]
    [InlineData("""0.1""")]
    [InlineData("""true""")]
    [InlineData("""null""")]
    public async Task ReadStreamAsync_Payload_RoundTripsAsTheSameJson(string json)
    {
        JobId job = JobId.Parse("job-1");
        NewJobEvent appended = NewEvent("e1") with { Payload = Json(json) };
        await AppendAsync(job, appended);

        JobEventLogEntry read = (await ReadStreamAsync(job)).Should().ContainSingle().Subject;

        ShouldBeSameJson(read.Payload, appended.Payload);
        read.Payload!.Value.ValueKind.Should().Be(appended.Payload!.Value.ValueKind);
    }

    [SkippableFact]
    public async Task ReadStreamAsync_LongestValues_RoundTripUnchanged()
    {
        JobId job = JobId.Parse(new string('j', JobId.MaxLength));
        NewJobEvent appended = NewEvent(new string('e', EventId.MaxLength), "a." + new string('b', EventTypeId.MaxLength - 2)) with
        {
            TaskId = TaskId.Parse(new string('t', TaskId.MaxLength)),
            Attributes = EventAttributes.From(Enumerable.Range(0, EventAttributes.MaxCount)
                .Select(static i => KeyValuePair.Create($"k{i:D2}" + new string('k', EventAttributes.MaxKeyLength - 3), new string((char)('a' + (i % 26)), EventAttributes.MaxValueLength)))),
            Observability = new EventObservability(new string('x', EventObservability.MaxLength), new string('y', EventObservability.MaxLength), new string('z', EventObservability.MaxLength)),
        };

        await AppendAsync(job, appended);

        ShouldCarry((await ReadStreamAsync(job)).Should().ContainSingle().Subject, job, appended);
    }
}
