namespace JobManagement.Tests.Identity;

public sealed class TaskIdTests
{
    public static TheoryData<string> ValidIds => new()
    {
        "t",
        "charge-card",
        "Step_2.retry:1@eu",
        new string('t', TaskId.MaxLength),
    };

    public static TheoryData<string?, string> InvalidIds => new()
    {
        { null, "must not be empty" },
        { string.Empty, "must not be empty" },
        { new string('t', TaskId.MaxLength + 1), "at most 128" },
        { "charge card", "\\u0020" },
        { "charge/card", "'/'" },
        { "chärge", "'ä'" },
        { "line\nbreak", "\\u000a" },
    };

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void Parse_ValidText_KeepsTheTextExactly(string text)
    {
        TaskId sut = TaskId.Parse(text);

        sut.Value.Should().Be(text);
        sut.ToString().Should().Be(text);
        TaskId.TryParse(text, out TaskId parsed).Should().BeTrue();
        parsed.Should().Be(sut);
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void Parse_InvalidText_ThrowsArgumentExceptionSayingWhy(string? text, string why)
    {
        Action act = () => TaskId.Parse(text!);

        ArgumentException thrown = act.Should().Throw<ArgumentException>().Which;
        thrown.ParamName.Should().Be("value");
        thrown.Message.Should().Contain("TaskId").And.Contain(why);
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void TryParse_InvalidText_ReturnsFalseAndDefault(string? text, string why)
    {
        bool parsed = TaskId.TryParse(text, out TaskId sut);

        parsed.Should().BeFalse(why);
        sut.IsDefault.Should().BeTrue();
    }

    [Fact]
    public void Equality_IsOrdinal()
    {
        TaskId sut = TaskId.Parse("charge-card");

        (sut == TaskId.Parse("charge-card")).Should().BeTrue();
        sut.GetHashCode().Should().Be(TaskId.Parse("charge-card").GetHashCode());
        (sut == TaskId.Parse("Charge-Card")).Should().BeFalse();
    }

    [Fact]
    public void Default_IsDefaultAndValueThrows()
    {
        TaskId sut = default;

        Func<string> value = () => sut.Value;

        sut.IsDefault.Should().BeTrue();
        sut.ToString().Should().BeEmpty();
        value.Should().Throw<InvalidOperationException>().WithMessage("*default(TaskId)*");
    }

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void Json_ValidId_RoundTripsAsStringAndDictionaryKey(string text)
    {
        IdentifierJson.ShouldRoundTrip(TaskId.Parse(text), text);
    }

    [Theory]
    [InlineData("\"charge card\"")]
    [InlineData("\"\"")]
    [InlineData("3")]
    [InlineData("null")]
    public void Json_InvalidValue_ThrowsJsonException(string json)
    {
        IdentifierJson.ShouldRejectValue<TaskId>(json);
    }

    [Fact]
    public void Json_InvalidDictionaryKey_ThrowsJsonException()
    {
        IdentifierJson.ShouldRejectKey<TaskId>("a b");
    }
}
