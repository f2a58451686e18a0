using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Identity;

public sealed class EventIdTests
{
    public static TheoryData<string> ValidIds => new()
    {
        "a",
        "psp-evt-1001",
        "sha256:abc/def?query=1&x#frag",
        "urn:uuid:0190a5e2-3c4b-7d1e-8f00-123456789abc",
        "Ünïcödé-🎉",
        new string('x', EventId.MaxLength),
    };

    public static TheoryData<string?, string> InvalidIds => new()
    {
        { null, "must not be empty" },
        { string.Empty, "must not be empty" },
        { new string('x', EventId.MaxLength + 1), "at most 200" },
        { "has space", "\\u0020" },
        { "tab\tbed", "\\u0009" },
        { "new\nline", "\\u000a" },
        { "nbsp\u00a0x", "\\u00a0" },
        { "bell\u0007", "\\u0007" },
    };

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void Parse_ValidText_KeepsTheTextExactly(string text)
    {
        EventId sut = EventId.Parse(text);

        sut.Value.Should().Be(text);
        sut.ToString().Should().Be(text);
        EventId.TryParse(text, out EventId parsed).Should().BeTrue();
        parsed.Should().Be(sut);
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void Parse_InvalidText_ThrowsArgumentExceptionSayingWhy(string? text, string why)
    {
        Action act = () => EventId.Parse(text!);

        ArgumentException thrown = act.Should().Throw<ArgumentException>().Which;
        thrown.ParamName.Should().Be("value");
        thrown.Message.Should().Contain("EventId").And.Contain(why);
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void TryParse_InvalidText_ReturnsFalseAndDefault(string? text, string why)
    {
        bool parsed = EventId.TryParse(text, out EventId sut);

        parsed.Should().BeFalse(why);
        sut.IsDefault.Should().BeTrue();
    }

    [Fact]
    public void Equality_IsOrdinal()
    {
        EventId sut = EventId.Parse("evt-1");

        (sut == EventId.Parse("evt-1")).Should().BeTrue();
        sut.GetHashCode().Should().Be(EventId.Parse("evt-1").GetHashCode());
        (sut == EventId.Parse("EVT-1")).Should().BeFalse();
        (sut == EventId.Parse("evt-10")).Should().BeFalse();
    }

    [Fact]
    public void Default_IsDefaultAndValueThrows()
    {
        EventId sut = default;

        Func<string> value = () => sut.Value;

        sut.IsDefault.Should().BeTrue();
        sut.ToString().Should().BeEmpty();
        value.Should().Throw<InvalidOperationException>().WithMessage("*default(EventId)*");
    }

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void Json_ValidId_RoundTripsAsStringAndDictionaryKey(string text)
    {
        IdentifierJson.ShouldRoundTrip(EventId.Parse(text), text);
    }

    [Theory]
    [InlineData("\"has space\"")]
    [InlineData("\"\"")]
    [InlineData("7")]
    [InlineData("null")]
    [InlineData("true")]
    public void Json_InvalidValue_ThrowsJsonException(string json)
    {
        IdentifierJson.ShouldRejectValue<EventId>(json);
    }

    [Fact]
    public void Json_InvalidDictionaryKey_ThrowsJsonException()
    {
        IdentifierJson.ShouldRejectKey<EventId>("two words");
    }

    [Fact]
    public void New_WithTimeProvider_IsTimeOrderedUuidVersion7()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        EventId first = EventId.New(time);
        time.Advance(TimeSpan.FromMilliseconds(1));
        EventId second = EventId.New(time);

        Guid.Parse(first.Value).Version.Should().Be(7);
        string.CompareOrdinal(first.Value, second.Value).Should().BeNegative();
    }
}
