using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Invariants;

/// <summary>Invariant 2: the journal is append-only; no API updates or deletes an entry.</summary>
public sealed class JournalAppendOnlyTests
{
    // Verbs a journal may offer: append, and the ways to read. Anything else (Update, Delete,
    // Remove, Replace, Truncate, Clear, Set...) must be a deliberate, reviewed change of this list.
    private static readonly string[] AllowedVerbs = ["Append", "Read", "Find", "Get"];

    [Theory]
    [InlineData(typeof(IJobEventJournal))]
    [InlineData(typeof(InMemoryJobEventJournal))]
    public void PublicSurface_OnlyAppendsAndReads(Type journalType)
    {
        MethodInfo[] methods = journalType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName)
            .ToArray();

        methods.Should().NotBeEmpty();
        methods.Should().OnlyContain(
            m => AllowedVerbs.Any(verb => m.Name.StartsWith(verb, StringComparison.Ordinal)),
            "a journal may only append and read; found {0}", string.Join(", ", methods.Select(m => m.Name)));
    }

    [Theory]
    [InlineData(typeof(IJobEventJournal))]
    [InlineData(typeof(InMemoryJobEventJournal))]
    public void PublicSurface_HasNoSettableProperties(Type journalType)
    {
        PropertyInfo[] settable = journalType.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(p => p.SetMethod is { IsPublic: true })
            .ToArray();

        settable.Should().BeEmpty();
    }

    [Fact]
    public void JobEventLogEntry_EveryPropertyIsInitOnly()
    {
        PropertyInfo[] properties = typeof(JobEventLogEntry).GetProperties(BindingFlags.Public | BindingFlags.Instance);

        properties.Where(p => p.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter))
            .Should().BeEmpty("an appended entry is immutable");
    }

    [Fact]
    public async Task ReadStreamAsync_AfterMoreAppendsAndConflictingDuplicates_EarlierEntriesUnchanged()
    {
        var sut = new InMemoryJobEventJournal();
        JobId jobId = JobId.Parse("job-1");
        await sut.AppendAsync(jobId, ExpectedStreamVersion.NoStream, [NewEvent("e-1", "payment.captured"), NewEvent("e-2", "parcel.delivered")]);
        List<JobEventLogEntry> before = await sut.ReadStreamListAsync(jobId);
        byte[] beforeBytes = JsonSerializer.SerializeToUtf8Bytes(before, JobManagementJson.Options);

        await sut.AppendAsync(jobId, ExpectedStreamVersion.Exactly(2), [NewEvent("e-3", "parcel.delivered")]);
        AppendResult conflicting = await sut.AppendAsync(jobId, ExpectedStreamVersion.Any, [NewEvent("e-1", "payment.declined", orderId: "99")]);
        await sut.AppendAsync(JobId.Parse("job-2"), ExpectedStreamVersion.NoStream, [NewEvent("e-1", "payment.captured")]);
        List<JobEventLogEntry> after = await sut.ReadStreamListAsync(jobId);

        conflicting.Outcomes.Should().ContainSingle().Which.Should().Match<AppendOutcome>(o => o.IsDuplicate && o.IsConflict);
        conflicting.Outcomes[0].Entry.Should().Be(before[0], "first write wins and is never changed");
        after.Should().HaveCount(3);
        after.Take(2).Should().Equal(before);
        JsonSerializer.SerializeToUtf8Bytes(after.Take(2).ToList(), JobManagementJson.Options).Should().Equal(beforeBytes);
        (await sut.ReadEverythingAsync()).Take(2).Should().Equal(before);
        sut.Count.Should().Be(4);
    }

    [Fact]
    public async Task AppendAsync_SequencesContiguousAndPositionsIncreasing()
    {
        var sut = new InMemoryJobEventJournal();
        JobId a = JobId.Parse("job-a");
        JobId b = JobId.Parse("job-b");

        await sut.AppendAsync(a, ExpectedStreamVersion.Any, [NewEvent("e-1", "x.happened")]);
        await sut.AppendAsync(b, ExpectedStreamVersion.Any, [NewEvent("e-2", "x.happened"), NewEvent("e-3", "x.happened")]);
        await sut.AppendAsync(a, ExpectedStreamVersion.Any, [NewEvent("e-4", "x.happened")]);

        (await sut.ReadStreamListAsync(a)).Select(e => e.Sequence).Should().Equal(1, 2);
        (await sut.ReadStreamListAsync(b)).Select(e => e.Sequence).Should().Equal(1, 2);
        (await sut.ReadEverythingAsync()).Select(e => e.Position).Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public async Task AppendAsync_WrongExpectedVersion_ThrowsAndAppendsNothing()
    {
        var sut = new InMemoryJobEventJournal();
        JobId jobId = JobId.Parse("job-1");
        await sut.AppendAsync(jobId, ExpectedStreamVersion.NoStream, [NewEvent("e-1", "x.happened")]);

        Func<Task> act = async () => await sut.AppendAsync(jobId, ExpectedStreamVersion.Exactly(5), [NewEvent("e-2", "x.happened")]);

        (await act.Should().ThrowAsync<JobConcurrencyException>()).Which.ActualVersion.Should().Be(1);
        sut.Count.Should().Be(1);
    }

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    private static NewJobEvent NewEvent(string eventId, string type, string orderId = "42") => new()
    {
        EventId = EventId.Parse(eventId),
        EventType = EventTypeId.Parse(type),
        Lane = EventLane.Domain,
        OccurredAt = TestEvents.OccurredAt,
        RecordedAt = TestEvents.OccurredAt,
        Attributes = EventAttributes.Of(("orderId", orderId)),
        Payload = JsonSerializer.SerializeToElement(new { orderId }),
    };
}
