namespace JobManagement.Tests.Identity;

public sealed class JobTypeTests
{
    public static TheoryData<string> ValidTypes => new()
    {
        "x",
        "order-fulfillment",
        "billing.invoice_send",
        "a." + new string('b', JobType.MaxLength - 2),
    };

    public static TheoryData<string?, string> InvalidTypes => new()
    {
        { null, "must not be empty" },
        { string.Empty, "must not be empty" },
        { new string('b', JobType.MaxLength + 1), "at most 128" },
        { "Order-Fulfillment", "'O'" },
        { "order fulfillment", "\\u0020" },
        { "order:fulfillment", "':'" },
        { "-order", "must not start with, or repeat, a separator" },
        { "order..fulfillment", "must not start with, or repeat, a separator" },
        { "order.", "must not end with a separator" },
    };

    [Theory]
    [MemberData(nameof(ValidTypes))]
    public void Parse_ValidText_KeepsTheTextExactly(string text)
    {
        JobType sut = JobType.Parse(text);

        sut.Value.Should().Be(text);
        sut.ToString().Should().Be(text);
        JobType.TryParse(text, out JobType parsed).Should().BeTrue();
        parsed.Should().Be(sut);
    }

    [Theory]
    [MemberData(nameof(InvalidTypes))]
    public void Parse_TextBreakingTheNamingRule_ThrowsArgumentExceptionSayingWhy(string? text, string why)
    {
        Action act = () => JobType.Parse(text!);

        ArgumentException thrown = act.Should().Throw<ArgumentException>().Which;
        thrown.ParamName.Should().Be("value");
        thrown.Message.Should().Contain("JobType").And.Contain(why);
    }

    [Theory]
    [MemberData(nameof(InvalidTypes))]
    public void TryParse_TextBreakingTheNamingRule_ReturnsFalseAndDefault(string? text, string why)
    {
        bool parsed = JobType.TryParse(text, out JobType sut);

        parsed.Should().BeFalse(why);
        sut.IsDefault.Should().BeTrue();
    }

    [Fact]
    public void Equality_IsOrdinal()
    {
        JobType sut = JobType.Parse("order-fulfillment");

        (sut == JobType.Parse("order-fulfillment")).Should().BeTrue();
        sut.GetHashCode().Should().Be(JobType.Parse("order-fulfillment").GetHashCode());
        (sut == JobType.Parse("order-fulfilment")).Should().BeFalse();
    }

    [Fact]
    public void Default_IsDefaultAndValueThrows()
    {
        JobType sut = default;

        Func<string> value = () => sut.Value;

        sut.IsDefault.Should().BeTrue();
        sut.ToString().Should().BeEmpty();
        value.Should().Throw<InvalidOperationException>().WithMessage("*default(JobType)*");
    }

    [Theory]
    [MemberData(nameof(ValidTypes))]
    public void Json_ValidType_RoundTripsAsStringAndDictionaryKey(string text)
    {
        IdentifierJson.ShouldRoundTrip(JobType.Parse(text), text);
    }

    [Theory]
    [InlineData("\"Order\"")]
    [InlineData("\"\"")]
    [InlineData("0")]
    [InlineData("null")]
    public void Json_InvalidValue_ThrowsJsonException(string json)
    {
        IdentifierJson.ShouldRejectValue<JobType>(json);
    }

    [Fact]
    public void Json_InvalidDictionaryKey_ThrowsJsonException()
    {
        IdentifierJson.ShouldRejectKey<JobType>("Order");
    }
}
