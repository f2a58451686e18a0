using JobManagement.Tests.Support;

namespace JobManagement.Tests.Identity;

public sealed class JobIdTests
{
    public static TheoryData<string> ValidIds => new()
    {
        "a",
        "order-42-fulfillment",
        "A_b.c:d@e-9",
        "0190a5e2-3c4b-7d1e-8f00-123456789abc",
        new string('x', JobId.MaxLength),
    };

    public static TheoryData<string?, string> InvalidIds => new()
    {
        { null, "must not be empty" },
        { string.Empty, "must not be empty" },
        { new string('x', JobId.MaxLength + 1), "at most 128" },
        { "has space", "\\u0020" },
        { "slash/ed", "'/'" },
        { "tab\tbed", "\\u0009" },
        { "naïve", "'ï'" },
        { "dollar$", "'$'" },
        { "hash#1", "'#'" },
    };

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void Parse_ValidText_KeepsTheTextExactly(string text)
    {
        JobId sut = JobId.Parse(text);

        sut.Value.Should().Be(text);
        sut.ToString().Should().Be(text);
        sut.IsDefault.Should().BeFalse();
        JobId.TryParse(text, out JobId parsed).Should().BeTrue();
        parsed.Should().Be(sut);
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void Parse_InvalidText_ThrowsArgumentExceptionSayingWhy(string? text, string why)
    {
        Action act = () => JobId.Parse(text!);

        ArgumentException thrown = act.Should().Throw<ArgumentException>().Which;
        thrown.ParamName.Should().Be("value");
        thrown.Message.Should().Contain("JobId").And.Contain(why);
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void TryParse_InvalidText_ReturnsFalseAndDefault(string? text, string why)
    {
        bool parsed = JobId.TryParse(text, out JobId sut);

        parsed.Should().BeFalse(why);
        sut.IsDefault.Should().BeTrue();
    }

    [Fact]
    public void Unrouted_TextOfIt_ParsesBackToTheUnroutedStream()
    {
        JobId sut = JobId.Unrouted;

        JobId.Parse(sut.ToString()).Should().Be(sut);
        JobId.TryParse(sut.ToString(), out JobId parsed).Should().BeTrue();
        parsed.IsUnrouted.Should().BeTrue();
        JobId.Parse("job-1").IsUnrouted.Should().BeFalse();
    }

    [Fact]
    public void Equality_SameText_EqualWithSameHashCode()
    {
        JobId sut = JobId.Parse("order-1");

        JobId same = JobId.Parse("order-1");

        (sut == same).Should().BeTrue();
        sut.Equals(same).Should().BeTrue();
        sut.GetHashCode().Should().Be(same.GetHashCode());
    }

    [Theory]
    [InlineData("order-1", "ORDER-1")]
    [InlineData("order-1", "order-2")]
    [InlineData("order-1", "order-10")]
    public void Equality_DifferentText_NotEqual(string left, string right)
    {
        JobId sut = JobId.Parse(left);

        (sut == JobId.Parse(right)).Should().BeFalse();
        (sut != JobId.Parse(right)).Should().BeTrue();
    }

    [Fact]
    public void Default_IsDefaultAndValueThrows()
    {
        JobId sut = default;

        Func<string> value = () => sut.Value;

        sut.IsDefault.Should().BeTrue();
        sut.IsUnrouted.Should().BeFalse();
        sut.ToString().Should().BeEmpty();
        value.Should().Throw<InvalidOperationException>().WithMessage("*default(JobId)*");
        sut.Should().NotBe(JobId.Parse("a"));
    }

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void Json_ValidId_RoundTripsAsStringAndDictionaryKey(string text)
    {
        JobId sut = JobId.Parse(text);

        IdentifierJson.ShouldRoundTrip(sut, text);
    }

    [Theory]
    [InlineData("\"has space\"")]
    [InlineData("\"\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[\"a\"]")]
    public void Json_InvalidValue_ThrowsJsonException(string json)
    {
        IdentifierJson.ShouldRejectValue<JobId>(json);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    public void Json_InvalidDictionaryKey_ThrowsJsonException(string key)
    {
        IdentifierJson.ShouldRejectKey<JobId>(key);
    }

    [Fact]
    public void New_WithTimeProvider_IsUuidVersion7CarryingThatTime()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 5, 6, 7, 8, 9, 123, TimeSpan.Zero));

        JobId sut = JobId.New(time);

        Guid guid = Guid.Parse(sut.Value);
        guid.Version.Should().Be(7);
        sut.Value.Should().Be(guid.ToString(), "the text is the canonical lower-case UUID");
        long unixMilliseconds = Convert.ToInt64(sut.Value.Replace("-", string.Empty, StringComparison.Ordinal)[..12], 16);
        unixMilliseconds.Should().Be(time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    [Fact]
    public void New_LaterTime_SortsAfterOrdinally()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        List<JobId> ids = [];
        for (int i = 0; i < 50; i++)
        {
            ids.Add(JobId.New(time));
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        ids.Select(static id => id.Value).Should().BeInAscendingOrder(StringComparer.Ordinal);
        ids.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void New_SameTime_GivesDistinctIds()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        JobId[] ids = [.. Enumerable.Range(0, 100).Select(_ => JobId.New(time))];

        ids.Should().OnlyHaveUniqueItems();
    }
}
