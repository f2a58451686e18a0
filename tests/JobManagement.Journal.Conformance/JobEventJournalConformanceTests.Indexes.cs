namespace JobManagement.Journal.Conformance;

/// <summary>The derived lookups: the job index (from <c>job.created</c>) and recorded domain events.</summary>
public abstract partial class JobEventJournalConformanceTests
{
    [SkippableFact]
    public async Task FindJobsAsync_ByType_ReturnsJobsOfThatTypeInCreationOrder()
    {
        await AppendAsync(JobId.Parse("job-z"), JobCreated("c1", "order-fulfillment", ("orderId", "1")));
        await AppendAsync(JobId.Parse("job-m"), JobCreated("c2", "invoice.send", ("orderId", "1")));
        await AppendAsync(JobId.Parse("job-a"), JobCreated("c3", "order-fulfillment", ("orderId", "2")));
        await AppendAsync(JobId.Parse("job-b"), JobCreated("c4", "order-fulfillment"));

        IReadOnlyList<JobId> found = await Sut.FindJobsAsync(new JobLookup(JobType.Parse("order-fulfillment")));

        found.Select(static id => id.Value).Should().Equal("job-z", "job-a", "job-b");
    }

    [SkippableFact]
    public async Task FindJobsAsync_ByCorrelationValue_ReturnsOnlyJobsWithThatValue()
    {
        await AppendAsync(JobId.Parse("job-z"), JobCreated("c1", "order-fulfillment", ("orderId", "1"), ("region", "eu")));
        await AppendAsync(JobId.Parse("job-m"), JobCreated("c2", "invoice.send", ("orderId", "1")));
        await AppendAsync(JobId.Parse("job-a"), JobCreated("c3", "order-fulfillment", ("orderId", "2"), ("region", "eu")));
        await AppendAsync(JobId.Parse("job-b"), JobCreated("c4", "order-fulfillment", ("orderId", "1")));
        JobType type = JobType.Parse("order-fulfillment");

        IReadOnlyList<JobId> byOrder = await Sut.FindJobsAsync(new JobLookup(type, "orderId", "1"));
        IReadOnlyList<JobId> byRegion = await Sut.FindJobsAsync(new JobLookup(type, "region", "eu"));
        IReadOnlyList<JobId> byOtherValue = await Sut.FindJobsAsync(new JobLookup(type, "orderId", "3"));
        IReadOnlyList<JobId> byUnknownKey = await Sut.FindJobsAsync(new JobLookup(type, "customer", "1"));
        IReadOnlyList<JobId> byValueOfOtherKey = await Sut.FindJobsAsync(new JobLookup(type, "region", "1"));

        byOrder.Select(static id => id.Value).Should().Equal("job-z", "job-b");
        byRegion.Select(static id => id.Value).Should().Equal("job-z", "job-a");
        byOtherValue.Should().BeEmpty();
        byUnknownKey.Should().BeEmpty();
        byValueOfOtherKey.Should().BeEmpty();
    }

    [SkippableFact]
    public async Task FindJobsAsync_UnknownType_ReturnsEmpty()
    {
        await AppendAsync(JobId.Parse("job-1"), JobCreated("c1", "order-fulfillment", ("orderId", "1")));

        IReadOnlyList<JobId> found = await Sut.FindJobsAsync(new JobLookup(JobType.Parse("something-else")));

        found.Should().BeEmpty();
    }

    [SkippableFact]
    public async Task FindJobsAsync_EntriesOtherThanWellFormedJobCreated_AreNotIndexed()
    {
        var jobType = ("job.type", "order-fulfillment");
        await AppendAsync(JobId.Parse("job-started"), NewEvent("s1", ExecutionEventTypes.Started.Value) with { Lane = EventLane.Execution, Attributes = TrustedAttributes(jobType, ("orderId", "1")) });
        await AppendAsync(JobId.Parse("job-domain"), NewEvent("d1", "order.placed") with { Attributes = TrustedAttributes(jobType, ("orderId", "1")) });
        await AppendAsync(JobId.Parse("job-no-type"), NewEvent("m1", ExecutionEventTypes.Created.Value) with { Lane = EventLane.Execution, Attributes = EventAttributes.Of(("orderId", "1")) });
        await AppendAsync(JobId.Parse("job-bad-type"), NewEvent("m2", ExecutionEventTypes.Created.Value) with { Lane = EventLane.Execution, Attributes = TrustedAttributes(("job.type", "Not A Type"), ("orderId", "1")) });
        JobType type = JobType.Parse("order-fulfillment");

        IReadOnlyList<JobId> byType = await Sut.FindJobsAsync(new JobLookup(type));
        IReadOnlyList<JobId> byValue = await Sut.FindJobsAsync(new JobLookup(type, "orderId", "1"));

        byType.Should().BeEmpty();
        byValue.Should().BeEmpty();
    }

    [SkippableFact]
    public async Task FindJobsAsync_LaterEntriesAndRedeliveredJobCreated_ListTheJobOnce()
    {
        JobId job = JobId.Parse("job-1");
        NewJobEvent created = JobCreated("c1", "order-fulfillment", ("orderId", "1"));
        await AppendAsync(job, created, NewEvent("s1", ExecutionEventTypes.Started.Value) with { Lane = EventLane.Execution });
        await AppendAsync(job, created);
        await AppendAsync(job, NewEvent("d1", "payment.captured") with { Attributes = EventAttributes.Of(("orderId", "1")) });
        JobType type = JobType.Parse("order-fulfillment");

        IReadOnlyList<JobId> byType = await Sut.FindJobsAsync(new JobLookup(type));
        IReadOnlyList<JobId> byValue = await Sut.FindJobsAsync(new JobLookup(type, "orderId", "1"));

        byType.Should().Equal(job);
        byValue.Should().Equal(job);
    }

    [SkippableFact]
    public async Task FindRecordedEventsAsync_ByType_ReturnsDomainEntriesOfEveryStreamInPositionOrder()
    {
        JobId first = JobId.Parse("job-1");
        JobId second = JobId.Parse("job-2");
        await AppendAsync(second, NewEvent("p1", "payment.captured"));
        await AppendAsync(first, NewEvent("x1", "parcel.delivered"), NewEvent("p2", "payment.captured"));
        await AppendAsync(JobId.Unrouted, NewEvent("p3", "payment.captured"));
        await AppendAsync(first, NewEvent("p4", "payment.captured") with { Lane = EventLane.Execution });

        List<JobEventLogEntry> found = await Sut.FindRecordedEventsAsync(new RecordedEventLookup(EventTypeId.Parse("payment.captured"))).ToListAsync();

        found.Select(static e => (e.JobId.Value, e.EventId.Value)).Should().Equal(("job-2", "p1"), ("job-1", "p2"), ("$unrouted", "p3"));
        found.Select(static e => e.Position).Should().BeInAscendingOrder();
        ShouldCarry(found[0], second, NewEvent("p1", "payment.captured"));
    }

    [SkippableFact]
    public async Task FindRecordedEventsAsync_ByAttribute_ReturnsDomainEntriesOfAnyTypeWithThatValue()
    {
        EventAttributes order42 = EventAttributes.Of(("orderId", "42"));
        await AppendAsync(JobId.Parse("job-1"), JobCreated("c1", "order-fulfillment", ("orderId", "42")));
        await AppendAsync(JobId.Parse("job-1"), NewEvent("p1", "payment.captured") with { Attributes = order42 });
        await AppendAsync(JobId.Unrouted, NewEvent("d1", "parcel.delivered") with { Attributes = order42.With("carrier", "dhl") });
        await AppendAsync(JobId.Parse("job-2"), NewEvent("p2", "payment.captured") with { Attributes = EventAttributes.Of(("orderId", "43")) });
        await AppendAsync(JobId.Parse("job-2"), NewEvent("p3", "payment.captured") with { Attributes = EventAttributes.Of(("otherId", "42")) });

        List<JobEventLogEntry> found = await Sut.FindRecordedEventsAsync(new RecordedEventLookup(null, "orderId", "42")).ToListAsync();

        found.Select(static e => e.EventId.Value).Should().Equal("p1", "d1");
    }

    [SkippableFact]
    public async Task FindRecordedEventsAsync_ByTypeAndAttribute_ReturnsEntriesMatchingBoth()
    {
        EventAttributes order42 = EventAttributes.Of(("orderId", "42"));
        await AppendAsync(JobId.Parse("job-1"), NewEvent("p1", "payment.captured") with { Attributes = order42 });
        await AppendAsync(JobId.Parse("job-1"), NewEvent("d1", "parcel.delivered") with { Attributes = order42 });
        await AppendAsync(JobId.Parse("job-2"), NewEvent("p2", "payment.captured") with { Attributes = EventAttributes.Of(("orderId", "43")) });
        await AppendAsync(JobId.Unrouted, NewEvent("p3", "payment.captured") with { Attributes = order42 });

        List<JobEventLogEntry> found = await Sut.FindRecordedEventsAsync(new RecordedEventLookup(EventTypeId.Parse("payment.captured"), "orderId", "42")).ToListAsync();

        found.Select(static e => e.EventId.Value).Should().Equal("p1", "p3");
    }

    [SkippableFact]
    public async Task FindRecordedEventsAsync_ByReservedTargetAttribute_FindsEventsParkedForAJob()
    {
        // The engine parks an event addressed to a job that does not exist yet with job.target.
        NewJobEvent parked = NewEvent("early-1", "payment.captured") with { Attributes = TrustedAttributes((ReservedAttributes.TargetJob, "order-7"), ("orderId", "7")) };
        await AppendAsync(JobId.Unrouted, parked);
        await AppendAsync(JobId.Unrouted, NewEvent("early-2", "payment.captured") with { Attributes = TrustedAttributes((ReservedAttributes.TargetJob, "order-8")) });

        List<JobEventLogEntry> found = await Sut.FindRecordedEventsAsync(new RecordedEventLookup(null, ReservedAttributes.TargetJob, "order-7")).ToListAsync();

        ShouldCarry(found.Should().ContainSingle().Subject, JobId.Unrouted, parked);
    }

    [SkippableFact]
    public async Task FindRecordedEventsAsync_FannedOutAndRedeliveredEvent_AppearsOncePerStream()
    {
        NewJobEvent shared = NewEvent("p1", "payment.captured") with { Attributes = EventAttributes.Of(("orderId", "42")) };
        await AppendAsync(JobId.Parse("job-1"), shared);
        await AppendAsync(JobId.Parse("job-2"), shared);
        await AppendAsync(JobId.Parse("job-1"), shared);

        List<JobEventLogEntry> byType = await Sut.FindRecordedEventsAsync(new RecordedEventLookup(shared.EventType)).ToListAsync();
        List<JobEventLogEntry> byAttribute = await Sut.FindRecordedEventsAsync(new RecordedEventLookup(null, "orderId", "42")).ToListAsync();

        byType.Select(static e => e.JobId.Value).Should().Equal("job-1", "job-2");
        byAttribute.Select(static e => e.JobId.Value).Should().Equal("job-1", "job-2");
    }

    [SkippableFact]
    public async Task FindRecordedEventsAsync_NothingMatches_ReturnsEmpty()
    {
        await AppendAsync(JobId.Parse("job-1"), NewEvent("p1", "payment.captured") with { Attributes = EventAttributes.Of(("orderId", "42")) });

        List<JobEventLogEntry> byType = await Sut.FindRecordedEventsAsync(new RecordedEventLookup(EventTypeId.Parse("parcel.delivered"))).ToListAsync();
        List<JobEventLogEntry> byAttribute = await Sut.FindRecordedEventsAsync(new RecordedEventLookup(null, "orderId", "41")).ToListAsync();
        List<JobEventLogEntry> byBoth = await Sut.FindRecordedEventsAsync(new RecordedEventLookup(EventTypeId.Parse("parcel.delivered"), "orderId", "42")).ToListAsync();

        byType.Should().BeEmpty();
        byAttribute.Should().BeEmpty();
        byBoth.Should().BeEmpty();
    }
}
