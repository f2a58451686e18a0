using System.Text.Json;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Identity;

public sealed class BatchIdTests
{
    [Theory]
    [InlineData("b")]
    [InlineData("nightly-2026-01-01")]
    public void Parse_ValidText_KeepsTheText(string text) => BatchId.Parse(text).Value.Should().Be(text);

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("$batch")]
    public void TryParse_InvalidText_FalseAndDefault(string text)
    {
        bool parsed = BatchId.TryParse(text, out BatchId sut);

        parsed.Should().BeFalse();
        sut.IsDefault.Should().BeTrue();
    }

    [Fact]
    public void Parse_TooLong_Throws()
    {
        Action act = () => BatchId.Parse(new string('b', BatchId.MaxLength + 1));

        act.Should().Throw<ArgumentException>().WithMessage("*at most 100*");
    }

    [Fact]
    public void Json_RoundTripsAsString()
    {
        BatchId sut = BatchId.Parse("b-1");

        string json = JsonSerializer.Serialize(sut);

        json.Should().Be("\"b-1\"");
        JsonSerializer.Deserialize<BatchId>(json).Should().Be(sut);
    }

    [Fact]
    public void For_SameRequestId_SameBatchId()
    {
        BatchId sut = BatchId.For(EventId.Parse("req-1"));

        sut.Should().Be(BatchId.For(EventId.Parse("req-1")));
        sut.Should().NotBe(BatchId.For(EventId.Parse("req-2")));
        BatchId.TryParse(sut.Value, out _).Should().BeTrue();
    }

    [Fact]
    public void JobIdForBatch_IsABatchStreamThatParsesButIsNotAJob()
    {
        JobId stream = JobId.ForBatch(BatchId.Parse("b-1"));

        stream.IsBatch.Should().BeTrue();
        stream.IsUnrouted.Should().BeFalse();
        JobId.TryParse(stream.Value, out JobId parsed).Should().BeTrue("journals read stream ids back with TryParse");
        parsed.Should().Be(stream);
        JobId.Parse("job-1").IsBatch.Should().BeFalse();
    }
}
