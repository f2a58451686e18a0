using System.Globalization;

namespace JobManagement.Tests.Journal;

/// <summary>
/// The in-memory journal keeps the engine's own event ids (UUIDs) as bytes and an attempt start's attributes as numbers,
/// so it keeps no object per engine fact. These tests hold it to reading back exactly what was appended, and to never
/// taking two different ids for one.
/// </summary>
public sealed class InMemoryCompactStorageTests
{
    private const string Uuid = "01a22d71-8882-7e13-909f-2a8145c41185";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 17, 12, 55, TimeSpan.Zero);

    [Theory]
    [InlineData(Uuid, true)]
    [InlineData("00000000-0000-0000-0000-000000000000", true)]
    [InlineData("01A22D71-8882-7E13-909F-2A8145C41185", false)] // uppercase: another string, so another id
    [InlineData("{01a22d71-8882-7e13-909f-2a8145c41185}", false)]
    [InlineData("01a22d718882-7e13-909f-2a8145c41185-", false)]
    [InlineData("01a22d71-8882-7e13-909f-2a8145c4118g", false)]
    [InlineData("01a22d71-8882-7e13-909f-2a8145c4118", false)]
    [InlineData("01a22d71_8882-7e13-909f-2a8145c41185", false)]
    [InlineData("bench-1/start", false)]
    public void StoredEventId_KeepsOnlyCanonicalUuidsAsBytes_AndGivesTheSameTextBack(string text, bool compact)
    {
        var stored = StoredEventId.From(EventId.Parse(text));

        stored.IsCompact.Should().Be(compact);
        stored.ToEventId().Value.Should().Be(text);
        stored.Should().Be(StoredEventId.From(EventId.Parse(new string(text.AsSpan()))), "equal text is an equal id, whatever the string instance");
        stored.GetHashCode().Should().Be(StoredEventId.From(EventId.Parse(new string(text.AsSpan()))).GetHashCode());
    }

    [Fact]
    public async Task UuidIdWrittenThreeWays_IsThreeIds_EachFoundAndDeduplicatedAlone()
    {
        var journal = new InMemoryJobEventJournal();
        JobId job = JobId.Parse("job-uuids");
        string[] ids = [Uuid, Uuid.ToUpperInvariant(), "{" + Uuid + "}"];
        foreach (string id in ids)
        {
            (await journal.AppendAsync(job, ExpectedStreamVersion.Any, Domain(id)))[0].IsDuplicate.Should().BeFalse();
        }

        foreach (string id in ids)
        {
            AppendResult again = await journal.AppendAsync(job, ExpectedStreamVersion.Any, Domain(id));
            again[0].IsDuplicate.Should().BeTrue();
            again[0].IsConflict.Should().BeFalse();
            again[0].Entry.EventId.Value.Should().Be(id);
            (await journal.FindByEventIdAsync(EventId.Parse(id))).Should().ContainSingle().Which.EventId.Value.Should().Be(id);
        }

        (await journal.ReadStreamAsync(job).ToListAsync()).Select(e => e.EventId.Value).Should().Equal(ids);
        journal.Count.Should().Be(3);
    }

    [Fact]
    public async Task CreationWithAUuidRequestIdUsedByAnotherJob_IsRefusedNamingThatJob()
    {
        var journal = new InMemoryJobEventJournal();
        await journal.AppendAsync(JobId.Parse("job-first"), ExpectedStreamVersion.NoStream, Created(Uuid));

        Func<Task> again = async () => await journal.AppendAsync(JobId.Parse("job-second"), ExpectedStreamVersion.NoStream, Created(Uuid));

        (await again.Should().ThrowAsync<JobCreationConflictException>()).Which.ExistingJobId.Should().Be(JobId.Parse("job-first"));
        (await journal.GetStreamVersionAsync(JobId.Parse("job-second"))).Should().Be(0, "nothing is appended");
    }

    [Fact]
    public async Task ManyUuidIds_AcrossGrowthOfTheIdIndex_AreEachFoundAtTheirEntry()
    {
        var journal = new InMemoryJobEventJournal();
        JobId job = JobId.Parse("job-many");
        var ids = Enumerable.Range(0, 5_000).Select(i => new Guid(i, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8).ToString()).ToArray();
        foreach (string id in ids)
        {
            await journal.AppendAsync(job, ExpectedStreamVersion.Any, Domain(id));
        }

        for (int i = 0; i < ids.Length; i += 97)
        {
            (await journal.FindByEventIdAsync(EventId.Parse(ids[i]))).Should().ContainSingle().Which.Position.Should().Be(i + 1);
        }

        (await journal.FindByEventIdAsync(EventId.Parse(new Guid(5_000, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8).ToString()))).Should().BeEmpty();
    }

    [Fact]
    public void IdDerivedFromThePreviousEntrysId_SharesItsString_AndIsTheSameIdAsItsWholeText()
    {
        var created = StoredEventId.From(EventId.Parse("req-7"));
        var text = StoredEventId.From(EventId.Parse("req-7/start"));

        StoredEventId derived = text.DerivedFrom(created);

        derived.IsDerived.Should().BeTrue();
        derived.ToEventId().Value.Should().Be("req-7/start");
        derived.Should().Be(text);
        text.Should().Be(derived);
        derived.GetHashCode().Should().Be(text.GetHashCode(), "a lookup by the text must land where the derived id is kept");
        derived.Should().NotBe(StoredEventId.From(EventId.Parse("req-7/starts")));
        derived.Should().NotBe(StoredEventId.From(EventId.Parse("req-8/start")));
        derived.Should().NotBe(created);
        StoredEventId.From(EventId.Parse("req-8/start")).DerivedFrom(created).IsDerived.Should().BeFalse();
        StoredEventId.From(EventId.Parse("req-7/stop")).DerivedFrom(created).IsDerived.Should().BeFalse();
        StoredEventId.From(EventId.Parse(Uuid + "/start")).DerivedFrom(StoredEventId.From(EventId.Parse(Uuid))).IsDerived.Should().BeFalse("a UUID kept as bytes has no string to share");
    }

    [Fact]
    public async Task NewJobsStart_IsFoundByItsIdAndDeduplicated_WithItsIdStoredDerived()
    {
        var journal = new InMemoryJobEventJournal();
        JobId job = JobId.Parse("job-started");
        NewJobEvent created = Created("req-7");
        NewJobEvent started = Domain("req-7/start") with { Lane = EventLane.Execution, EventType = ExecutionEventTypes.Started };
        await journal.AppendAsync(job, ExpectedStreamVersion.NoStream, [created, started]);
        await journal.AppendAsync(JobId.Parse("job-other"), ExpectedStreamVersion.Any, Domain("req-7/start"));

        (await journal.FindByEventIdAsync(EventId.Parse("req-7/start"))).Select(e => (e.JobId.Value, e.Sequence)).Should().Equal(("job-started", 2L), ("job-other", 1L));
        AppendResult again = await journal.AppendAsync(job, ExpectedStreamVersion.Any, started);
        again[0].IsDuplicate.Should().BeTrue();
        again[0].IsConflict.Should().BeFalse();
        again[0].Entry.Sequence.Should().Be(2);
        (await journal.ReadStreamAsync(job).ToListAsync()).Select(e => e.EventId.Value).Should().Equal("req-7", "req-7/start");
    }

    [Fact]
    public async Task BatchesThatGrowTheIdIndexOrReuseIdsOfOtherStreams_KeepEveryIdFindableInEveryStream()
    {
        // A fresh journal's id index has 16 slots: a batch of 40 new ids grows it twice while it is stored, and the
        // lookups made before the first store go stale (a slot taken by an earlier event of the batch, or moved).
        var journal = new InMemoryJobEventJournal();
        string[] ids = [.. Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? $"evt-{i}" : new Guid(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).ToString())];
        await journal.AppendAsync(JobId.Parse("job-a"), ExpectedStreamVersion.NoStream, [.. ids.Select(Domain)]);
        await journal.AppendAsync(JobId.Parse("job-b"), ExpectedStreamVersion.NoStream, [.. ids.Reverse().Select(Domain)]);
        await journal.AppendAsync(JobId.Parse("job-c"), ExpectedStreamVersion.NoStream, [.. ids.Take(7).Select(Domain)]);

        for (int i = 0; i < ids.Length; i++)
        {
            IReadOnlyList<JobEventLogEntry> found = await journal.FindByEventIdAsync(EventId.Parse(ids[i]));
            found.Select(e => e.JobId.Value).Should().Equal(i < 7 ? ["job-a", "job-b", "job-c"] : ["job-a", "job-b"], ids[i]);
            found.Select(e => e.Position).Should().BeInAscendingOrder();
            (await journal.AppendAsync(JobId.Parse("job-b"), ExpectedStreamVersion.Any, Domain(ids[i])))[0].IsDuplicate.Should().BeTrue();
        }

        journal.Count.Should().Be(87);
    }

    [Fact]
    public async Task EngineAttemptFacts_ReadBackEqualToWhatWasAppended()
    {
        var journal = new InMemoryJobEventJournal();
        JobId job = JobId.Parse("job-attempts");
        DateTimeOffset lease = Now.AddTicks(1_234_567).AddSeconds(30);
        NewJobEvent[] facts =
        [
            ExecutionFacts.AttemptStarted(EventId.Parse(Uuid), 1, "worker-1", lease, Now),
            ExecutionFacts.LeaseRenewed(EventId.Parse("01a22d71-8882-7e13-909f-2a8145c41186"), 1, lease.AddMinutes(1), Now),
            ExecutionFacts.AttemptSucceeded(EventId.Parse("01a22d71-8882-7e13-909f-2a8145c41187"), 1, null, Now),
            ExecutionFacts.AttemptStarted(EventId.Parse("01a22d71-8882-7e13-909f-2a8145c41188"), 123_456_789, "worker-2", DateTimeOffset.MaxValue, Now),
        ];
        AppendResult appended = await journal.AppendAsync(job, ExpectedStreamVersion.NoStream, facts);

        List<JobEventLogEntry> read = await journal.ReadStreamAsync(job).ToListAsync();

        read.Should().HaveCount(facts.Length);
        for (int i = 0; i < facts.Length; i++)
        {
            read[i].EventId.Should().Be(facts[i].EventId);
            read[i].Attributes.Should().Equal(facts[i].Attributes);
            read[i].Attributes.Equals(facts[i].Attributes).Should().BeTrue();
            read[i].Should().BeEquivalentTo(appended[i].Entry);
            facts[i].HasSameContentAs(read[i]).Should().BeTrue();
        }

        ExecutionFacts.ReadTime(read[0], ReservedAttributes.LeaseUntil).Should().Be(lease);
        StoredAttributes.From(facts[0].Attributes).IsPacked.Should().BeTrue("an attempt start keeps no object in the journal");
        StoredAttributes.From(facts[1].Attributes).IsPacked.Should().BeTrue();
    }

    [Theory]
    [InlineData("01", "2026-11-30T17:12:55.0792527Z")]
    [InlineData("0", "2026-11-30T17:12:55.0792527Z")]
    [InlineData("+1", "2026-11-30T17:12:55.0792527Z")]
    [InlineData("1234567890", "2026-11-30T17:12:55.0792527Z")]
    [InlineData("1", "2026-11-30T17:12:55.0792527+00:00")]
    [InlineData("1", "2026-11-30T17:12:55Z")]
    [InlineData("1", "2026-11-30T17:12:55.079252Z")]
    [InlineData("1", "2026-02-30T17:12:55.0792527Z")]
    [InlineData("1", "0000-11-30T17:12:55.0792527Z")]
    [InlineData("1", "2026-11-30T24:00:00.0000000Z")]
    [InlineData("1", "2026-11-30T17:12:60.0000000Z")]
    [InlineData("1", "2026-11-30 17:12:55.0792527Z")]
    [InlineData("1", "2026-1l-30T17:12:55.0792527Z")]
    public async Task AttemptSetTheEngineWouldNotWriteSo_IsKeptAsGivenAndReadBackEqual(string attempt, string lease)
    {
        var journal = new InMemoryJobEventJournal();
        EventAttributes attributes = EventAttributes.CreateTrusted([
            KeyValuePair.Create(ReservedAttributes.Attempt, attempt),
            KeyValuePair.Create(ReservedAttributes.LeaseUntil, lease),
            KeyValuePair.Create(ReservedAttributes.Worker, "w"),
        ]);

        StoredAttributes.From(attributes).IsPacked.Should().BeFalse();
        await journal.AppendAsync(JobId.Parse("job-odd"), ExpectedStreamVersion.Any, Domain(Uuid) with { Lane = EventLane.Execution, EventType = ExecutionEventTypes.AttemptStarted, Attributes = attributes });
        (await journal.ReadStreamAsync(JobId.Parse("job-odd")).SingleAsync()).Attributes.Should().Equal(attributes);
    }

    [Fact]
    public void AttemptSetWithAnotherKeyOrOrder_IsKeptAsGiven()
    {
        KeyValuePair<string, string> attempt = KeyValuePair.Create(ReservedAttributes.Attempt, "1");
        KeyValuePair<string, string> lease = KeyValuePair.Create(ReservedAttributes.LeaseUntil, "2026-11-30T17:12:55.0792527Z");
        KeyValuePair<string, string> worker = KeyValuePair.Create(ReservedAttributes.Worker, "w");

        StoredAttributes.From(EventAttributes.CreateTrusted([attempt, lease, worker])).IsPacked.Should().BeTrue();
        StoredAttributes.From(EventAttributes.CreateTrusted([attempt, lease, KeyValuePair.Create(ReservedAttributes.Reason, "r")])).IsPacked.Should().BeFalse();
        StoredAttributes.From(EventAttributes.CreateTrusted([attempt, KeyValuePair.Create(ReservedAttributes.RetryAt, lease.Value)])).IsPacked.Should().BeFalse();
        StoredAttributes.From(EventAttributes.CreateTrusted([attempt, lease, worker, KeyValuePair.Create("zz", "z")])).IsPacked.Should().BeFalse();
        StoredAttributes.From(EventAttributes.CreateTrusted([attempt])).IsPacked.Should().BeFalse();
        StoredAttributes.From(EventAttributes.Empty).ToAttributes().Should().BeSameAs(EventAttributes.Empty);
    }

    [Fact]
    public void RoundTripUtcText_ParsesToTheTicksItWasWrittenFrom_AcrossTheWholeRange()
    {
        var random = new Random(20261130);
        long[] ticks = [DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks, new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).Ticks + 9_999_999, .. Enumerable.Range(0, 2_000).Select(_ => random.NextInt64(DateTime.MaxValue.Ticks))];
        foreach (long expected in ticks)
        {
            string text = new DateTime(expected, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

            StoredAttributes.TryParseRoundTripUtc(text, out long parsed).Should().BeTrue(text);
            parsed.Should().Be(expected, text);
        }
    }

    private static NewJobEvent Domain(string id) => new()
    {
        EventId = EventId.Parse(id),
        EventType = EventTypeId.Parse("item.scanned"),
        Lane = EventLane.Domain,
        OccurredAt = Now,
        RecordedAt = Now,
    };

    private static NewJobEvent Created(string id) => Domain(id) with
    {
        Lane = EventLane.Execution,
        EventType = ExecutionEventTypes.Created,
        Attributes = EventAttributes.CreateTrusted([KeyValuePair.Create(ReservedAttributes.JobType, "report")]),
    };
}
