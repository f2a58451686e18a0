using System.Collections.Immutable;

namespace JobManagement.Tests.Journal;

/// <summary>An append result reads the same whether it keeps one outcome inline or an array of them.</summary>
public sealed class AppendResultTests
{
    private static readonly JobId Job = JobId.Parse("job-1");

    [Fact]
    public void InlineOutcome_ReadsLikeAOneElementArray()
    {
        AppendOutcome outcome = new(Entry(1), IsDuplicate: false, IsConflict: false);
        var inline = new AppendResult(Job, 1, outcome);
        var array = new AppendResult(Job, 1, [outcome]);

        inline.Count.Should().Be(1);
        inline[0].Should().Be(outcome);
        inline.Outcomes.Should().Equal(outcome);
        inline.Should().Be(array);
        inline.GetHashCode().Should().Be(array.GetHashCode());
        inline.AllDuplicates.Should().BeFalse();
        (JobId job, long version, ImmutableArray<AppendOutcome> outcomes) = inline;
        (job, version, outcomes.Single()).Should().Be((Job, 1L, outcome));
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var inline = new AppendResult(Job, 1, new AppendOutcome(Entry(1), IsDuplicate: true, IsConflict: false));
        Action past = () => _ = inline[1];
        past.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("index");
        Action empty = () => _ = default(AppendResult)[0];
        empty.Should().Throw<ArgumentOutOfRangeException>();
        default(AppendResult).Count.Should().Be(0);
        inline.AllDuplicates.Should().BeTrue();
    }

    [Fact]
    public void Results_DifferingInAnOutcome_AreNotEqual()
    {
        var first = new AppendResult(Job, 2, [new AppendOutcome(Entry(1), false, false), new AppendOutcome(Entry(2), false, false)]);
        var second = new AppendResult(Job, 2, [new AppendOutcome(Entry(1), false, false), new AppendOutcome(Entry(2), IsDuplicate: true, false)]);
        first.Should().NotBe(second);
        first.Should().Be(new AppendResult(Job, 2, [.. first.Outcomes]));
    }

    [Fact]
    public void Constructors_RejectMissingOutcomes()
    {
        Action defaultArray = () => _ = new AppendResult(Job, 0, default(ImmutableArray<AppendOutcome>));
        defaultArray.Should().Throw<ArgumentException>().WithParameterName("outcomes");
        Action noEntry = () => _ = new AppendResult(Job, 0, default(AppendOutcome));
        noEntry.Should().Throw<ArgumentNullException>().WithParameterName("outcome");
    }

    private static JobEventLogEntry Entry(long sequence) => new()
    {
        Position = sequence,
        JobId = Job,
        Sequence = sequence,
        EventId = EventId.Parse($"evt-{sequence}"),
        EventType = EventTypeId.Parse("item.scanned"),
        Lane = EventLane.Domain,
        OccurredAt = DateTimeOffset.UnixEpoch,
        RecordedAt = DateTimeOffset.UnixEpoch,
    };
}
