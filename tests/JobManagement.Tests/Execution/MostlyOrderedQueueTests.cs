namespace JobManagement.Tests.Execution;

/// <summary>The worker index's queue: whatever the arrival order, every take is of a lowest priority held.</summary>
public sealed class MostlyOrderedQueueTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.1)]
    [InlineData(3, 0.5)]
    [InlineData(4, 1.0)]
    public void EveryTake_IsALowestPriorityHeld_WhateverTheArrivalOrder(int seed, double outOfOrderShare)
    {
        var random = new Random(seed);
        var sut = new MostlyOrderedQueue<int, long>();
        var held = new List<long>();
        long next = 0;
        for (int step = 0; step < 5_000; step++)
        {
            if (random.NextDouble() < 0.55 || held.Count == 0)
            {
                // Mostly in order (a new job, due now), sometimes earlier than the last (a put-back, a scan's find).
                long priority = random.NextDouble() < outOfOrderShare ? next - random.Next(0, 50) : next += random.Next(0, 3);
                sut.Enqueue(held.Count, priority);
                held.Add(priority);
            }
            else
            {
                sut.TryPeek(out _, out long peeked).Should().BeTrue();
                long lowest = held.Min();
                peeked.Should().Be(lowest, $"step {step}: the peek shows a lowest priority held");
                sut.Dequeue();
                held.Remove(lowest);
            }

            sut.Count.Should().Be(held.Count);
        }
    }

    [Fact]
    public void EqualPriorities_InTheLane_ComeOutInArrivalOrder()
    {
        var sut = new MostlyOrderedQueue<string, int>();
        sut.Enqueue("first", 1);
        sut.Enqueue("second", 1);
        sut.Enqueue("earlier", 0); // before the lane's last: the heap
        sut.Enqueue("third", 1);

        string[] taken = [sut.Dequeue(), sut.Dequeue(), sut.Dequeue(), sut.Dequeue()];

        taken.Should().Equal("earlier", "first", "second", "third");
        sut.TryPeek(out _, out _).Should().BeFalse();
        FluentActions.Invoking(() => sut.Dequeue()).Should().Throw<InvalidOperationException>();
    }
}
