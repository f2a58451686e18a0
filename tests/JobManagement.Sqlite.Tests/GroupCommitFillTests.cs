namespace JobManagement.Sqlite.Tests;

/// <summary>How a group-commit writer fills its next batch (shared source, compiled into both durable journals).</summary>
public sealed class GroupCommitFillTests
{
    [Fact]
    public async Task PreviousCommitHeldSeveral_GivesCallersTurnsUntilTheBatchIsAsLarge()
    {
        var batch = new List<int> { 1 };
        int drains = 0;
        await GroupCommitFill.FillLikePreviousAsync(batch, previous: 3, maxBatchSize: 256, b =>
        {
            drains++;
            b.Add(b.Count + 1); // one caller's next append arrives per turn
        });

        batch.Should().Equal(1, 2, 3);
        drains.Should().Be(2, "it stops as soon as the batch is as large as the previous commit's");
    }

    [Fact]
    public async Task LoneCaller_NeverWaits()
    {
        var batch = new List<int> { 1 };
        int drains = 0;
        await GroupCommitFill.FillLikePreviousAsync(batch, previous: 1, maxBatchSize: 256, _ => drains++);
        await GroupCommitFill.FillLikePreviousAsync(batch, previous: 0, maxBatchSize: 256, _ => drains++);
        drains.Should().Be(0);
    }

    [Fact]
    public async Task NobodyComes_CommitsAfterABoundedNumberOfTurns()
    {
        var batch = new List<int> { 1 };
        int drains = 0;
        await GroupCommitFill.FillLikePreviousAsync(batch, previous: 64, maxBatchSize: 256, _ => drains++);
        drains.Should().Be(GroupCommitFill.MaxTurns);
        batch.Should().Equal(1);
    }

    [Fact]
    public async Task BatchBound_CapsTheTarget()
    {
        var batch = new List<int> { 1, 2 };
        int drains = 0;
        await GroupCommitFill.FillLikePreviousAsync(batch, previous: 64, maxBatchSize: 2, _ => drains++);
        drains.Should().Be(0, "the batch is already full");
    }
}
