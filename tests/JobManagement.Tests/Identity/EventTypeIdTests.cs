namespace JobManagement.Tests.Identity;

public sealed class EventTypeIdTests
{
    public static TheoryData<string> ValidTypes => new()
    {
        "a",
        "payment.captured",
        "shipment.delivered",
        "order_line.item-added",
        "v2.order.placed",
        "job.created",
        "a." + new string('b', EventTypeId.MaxLength - 2),
    };

    public static TheoryData<string?, string> InvalidTypes => new()
    {
        { null, "must not be empty" },
        { string.Empty, "must not be empty" },
        { "a." + new string('b', EventTypeId.MaxLength - 1), "at most 128" },
        { "Payment.captured", "'P'" },
        { "payment.Captured", "'C'" },
        { "payment captured", "\\u0020" },
        { " payment.captured", "\\u0020" },
        { "payment/captured", "'/'" },
        { "paymént.captured", "'é'" },
        { ".payment", "must not start with, or repeat, a separator" },
        { "-payment", "must not start with, or repeat, a separator" },
        { "_payment", "must not start with, or repeat, a separator" },
        { "payment..captured", "must not start with, or repeat, a separator" },
        { "payment.-captured", "must not start with, or repeat, a separator" },
        { "payment--captured", "must not start with, or repeat, a separator" },
        { "payment_.captured", "must not start with, or repeat, a separator" },
        { "payment.", "must not end with a separator" },
        { "payment-", "must not end with a separator" },
        { "payment_", "must not end with a separator" },
    };

    [Theory]
    [MemberData(nameof(ValidTypes))]
    public void Parse_ValidText_KeepsTheTextExactly(string text)
    {
        EventTypeId sut = EventTypeId.Parse(text);

        sut.Value.Should().Be(text);
        sut.ToString().Should().Be(text);
        EventTypeId.TryParse(text, out EventTypeId parsed).Should().BeTrue();
        parsed.Should().Be(sut);
    }

    [Theory]
    [MemberData(nameof(InvalidTypes))]
    public void Parse_TextBreakingTheNamingRule_ThrowsArgumentExceptionSayingWhy(string? text, string why)
    {
        Action act = () => EventTypeId.Parse(text!);

        ArgumentException thrown = act.Should().Throw<ArgumentException>().Which;
        thrown.ParamName.Should().Be("value");
        thrown.Message.Should().Contain("EventTypeId").And.Contain(why);
    }

    [Theory]
    [MemberData(nameof(InvalidTypes))]
    public void TryParse_TextBreakingTheNamingRule_ReturnsFalseAndDefault(string? text, string why)
    {
        bool parsed = EventTypeId.TryParse(text, out EventTypeId sut);

        parsed.Should().BeFalse(why);
        sut.IsDefault.Should().BeTrue();
    }

    [Theory]
    [InlineData("job.created", true)]
    [InlineData("job.anything-else", true)]
    [InlineData("job.compensation.completed", true)]
    [InlineData("jobs.created", false)]
    [InlineData("job-created", false)]
    [InlineData("job_created", false)]
    [InlineData("job", false)]
    [InlineData("my.job.created", false)]
    public void IsExecution_ByPrefix_TrueOnlyForTheJobNamespace(string text, bool expected)
    {
        EventTypeId sut = EventTypeId.Parse(text);

        sut.IsExecution.Should().Be(expected);
    }

    [Fact]
    public void ExecutionEventTypes_All_AreInTheExecutionNamespace()
    {
        EventTypeId[] sut =
        [
            ExecutionEventTypes.Created, ExecutionEventTypes.Started, ExecutionEventTypes.AbortRequested,
            ExecutionEventTypes.DeadlineExpired, ExecutionEventTypes.CompensationCompleted, ExecutionEventTypes.CompensationFailed,
        ];

        sut.Should().OnlyContain(static type => type.IsExecution).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void Equality_IsOrdinal()
    {
        EventTypeId sut = EventTypeId.Parse("payment.captured");

        (sut == EventTypeId.Parse("payment.captured")).Should().BeTrue();
        sut.GetHashCode().Should().Be(EventTypeId.Parse("payment.captured").GetHashCode());
        (sut == EventTypeId.Parse("payment.captured-v2")).Should().BeFalse();
    }

    [Fact]
    public void Default_IsDefaultNotExecutionAndValueThrows()
    {
        EventTypeId sut = default;

        Func<string> value = () => sut.Value;

        sut.IsDefault.Should().BeTrue();
        sut.IsExecution.Should().BeFalse();
        sut.ToString().Should().BeEmpty();
        value.Should().Throw<InvalidOperationException>().WithMessage("*default(EventTypeId)*");
    }

    [Theory]
    [MemberData(nameof(ValidTypes))]
    public void Json_ValidType_RoundTripsAsStringAndDictionaryKey(string text)
    {
        IdentifierJson.ShouldRoundTrip(EventTypeId.Parse(text), text);
    }

    [Theory]
    [InlineData("\"Payment.Captured\"")]
    [InlineData("\"payment..captured\"")]
    [InlineData("\"\"")]
    [InlineData("1")]
    [InlineData("null")]
    public void Json_InvalidValue_ThrowsJsonException(string json)
    {
        IdentifierJson.ShouldRejectValue<EventTypeId>(json);
    }

    [Fact]
    public void Json_InvalidDictionaryKey_ThrowsJsonException()
    {
        IdentifierJson.ShouldRejectKey<EventTypeId>("Not.Valid");
    }
}
