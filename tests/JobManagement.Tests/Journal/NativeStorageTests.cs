namespace JobManagement.Tests.Journal;

/// <summary>
/// The building blocks of the in-memory journal's storage: a block of native memory (zeroed, bounds-checked, unusable
/// once freed) and a column of references (an object stored again soon after shares its slot; chunk boundaries hold).
/// </summary>
public sealed class NativeStorageTests
{
    [Fact]
    public void NativeBlock_IsZeroed_KeepsWhatIsWritten_AndChecksBounds()
    {
        using var block = new NativeBlock<long>(1_000);
        block.Length.Should().Be(1_000);
        Enumerable.Range(0, block.Length).Select(i => block[i]).Should().OnlyContain(v => v == 0, "a new block is zeroed, as an array is");

        for (int i = 0; i < block.Length; i++)
        {
            block[i] = i * 7L;
        }

        block[999].Should().Be(6_993);
        block[0].Should().Be(0);
        FluentActions.Invoking(() => block[1_000]).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => block[-1]).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new NativeBlock<long>(0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void NativeBlock_OnceFreed_RefusesEveryRead()
    {
        var block = new NativeBlock<int>(4);
        block[1] = 5;
        block.Dispose();

        block.IsClosed.Should().BeTrue();
        FluentActions.Invoking(() => block[1]).Should().Throw<ObjectDisposedException>("a freed block must never be read");
    }

    [Fact]
    public void RefColumn_GivesARecentObjectItsSlotAgain_AndEveryOtherObjectANewOne()
    {
        var column = new RefColumn<string>();
        string worker = "worker-a";
        string other = "worker-b";

        column.Add(null).Should().Be(-1);
        column.AtOrNull(-1).Should().BeNull();
        int first = column.Add(worker);
        column.Add(other).Should().NotBe(first);
        column.Add(worker).Should().Be(first, "the same object stored soon after shares its slot");
        column.Add(new string(worker.AsSpan())).Should().NotBe(first, "only the same object is recognised, not an equal one");
        column[first].Should().BeSameAs(worker);

        for (int i = 0; i < 8; i++)
        {
            column.Add($"filler-{i}");
        }

        int again = column.Add(worker);
        again.Should().NotBe(first, "past the last eight objects stored, an object takes a new slot");
        column[again].Should().BeSameAs(worker);
    }

    [Fact]
    public void RefColumn_AcrossChunks_ReturnsEachValueAtItsIndex()
    {
        var column = new RefColumn<string>();
        var values = Enumerable.Range(0, 10_000).Select(i => $"value-{i}").ToArray(); // a growing first chunk, then two more
        int[] indexes = values.Select(column.Append).ToArray();

        indexes.Should().Equal(Enumerable.Range(0, values.Length));
        column.Count.Should().Be(values.Length);
        indexes.Select(i => column[i]).Should().Equal(values);
    }
}
