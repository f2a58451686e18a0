using System.Text.Json;

namespace JobManagement.Tests.Events;

public sealed class EventAttributesTests
{
    public static TheoryData<string?, string?, string> InvalidPairs => new()
    {
        { string.Empty, "v", "must not be empty" },
        { new string('k', EventAttributes.MaxKeyLength + 1), "v", "at most 64" },
        { "has space", "v", "\\u0020" },
        { "slash/key", "v", "'/'" },
        { "ключ", "v", "'к'" },
        { "job.type", "v", "reserved prefix 'job.'" },
        { "job.anything", "v", "reserved prefix 'job.'" },
        { "orderId", null, "null value" },
        { "orderId", new string('v', EventAttributes.MaxValueLength + 1), "at most 1024" },
    };

    [Fact]
    public void Of_Pairs_SortsKeysOrdinally()
    {
        EventAttributes sut = EventAttributes.Of(("b", "1"), ("a", "2"), ("B", "3"), ("_x", "4"), ("9", "5"), ("10", "6"));

        sut.Keys.Should().Equal("10", "9", "B", "_x", "a", "b");
        sut.Values.Should().Equal("6", "5", "3", "4", "2", "1");
        sut.Select(static p => p.Key).Should().Equal(sut.Keys);
        sut.Count.Should().Be(6);
    }

    [Theory]
    [MemberData(nameof(InvalidPairs))]
    public void Of_InvalidPair_ThrowsArgumentExceptionNamingIt(string? key, string? value, string why)
    {
        Action act = () => EventAttributes.Of(("fine", "ok"), (key!, value!));

        ArgumentException thrown = act.Should().Throw<ArgumentException>().Which;
        thrown.ParamName.Should().Be("pairs");
        thrown.Message.Should().Contain(why);
    }

    [Theory]
    [MemberData(nameof(InvalidPairs))]
    public void With_InvalidPair_ThrowsArgumentException(string? key, string? value, string why)
    {
        EventAttributes sut = EventAttributes.Of(("fine", "ok"));

        Action act = () => sut.With(key!, value!);

        act.Should().Throw<ArgumentException>().WithMessage($"*{why}*");
    }

    [Theory]
    [InlineData("jobs.type")]
    [InlineData("Job.type")]
    [InlineData("my.job.type")]
    [InlineData("a-b_c.d:e@f")]
    public void Of_KeysOutsideTheReservedPrefix_AreAccepted(string key)
    {
        EventAttributes sut = EventAttributes.Of((key, "v"));

        sut[key].Should().Be("v");
    }

    [Fact]
    public void Of_LimitsExactly_AreAccepted()
    {
        string longKey = new('k', EventAttributes.MaxKeyLength);
        string longValue = new('v', EventAttributes.MaxValueLength);

        EventAttributes sut = EventAttributes.From(Enumerable.Range(0, EventAttributes.MaxCount - 1)
            .Select(static i => KeyValuePair.Create($"k{i}", string.Empty))
            .Append(KeyValuePair.Create(longKey, longValue)));

        sut.Count.Should().Be(EventAttributes.MaxCount);
        sut[longKey].Should().Be(longValue);
    }

    [Fact]
    public void Of_TooManyPairs_ThrowsArgumentException()
    {
        Action act = () => EventAttributes.From(Enumerable.Range(0, EventAttributes.MaxCount + 1).Select(static i => KeyValuePair.Create($"k{i}", "v")));

        act.Should().Throw<ArgumentException>().WithMessage("*at most 64*").Which.ParamName.Should().Be("pairs");
    }

    [Fact]
    public void Of_DuplicateKeys_ThrowsArgumentException()
    {
        Action act = () => EventAttributes.Of(("orderId", "1"), ("other", "x"), ("orderId", "2"));

        act.Should().Throw<ArgumentException>().WithMessage("*'orderId' appears more than once*");
    }

    [Fact]
    public void With_ExistingKey_ThrowsArgumentException()
    {
        EventAttributes sut = EventAttributes.Of(("orderId", "1"));

        Action act = () => sut.With("orderId", "2");

        act.Should().Throw<ArgumentException>().WithMessage("*more than once*");
        sut["orderId"].Should().Be("1");
    }

    [Fact]
    public void With_NewKey_ReturnsSortedCopyAndLeavesOriginal()
    {
        EventAttributes sut = EventAttributes.Of(("b", "2"));

        EventAttributes added = sut.With("a", "1");

        added.Keys.Should().Equal("a", "b");
        sut.Keys.Should().Equal("b");
    }

    [Fact]
    public void Of_NoPairs_IsEmpty()
    {
        EventAttributes sut = EventAttributes.Of();

        sut.Should().BeSameAs(EventAttributes.Empty);
        sut.Count.Should().Be(0);
        sut.ToString().Should().Be("{}");
    }

    [Fact]
    public void From_EventAttributes_ReturnsTheSameInstance()
    {
        EventAttributes sut = EventAttributes.Of(("a", "1"));

        EventAttributes.From(sut).Should().BeSameAs(sut);
        EventAttributes.From(new Dictionary<string, string> { ["a"] = "1" }).Equals(sut).Should().BeTrue();
    }

    [Fact]
    public void Lookup_MissingAndPresentKeys_BehaveLikeAReadOnlyDictionary()
    {
        EventAttributes sut = EventAttributes.Of(("c", "3"), ("a", "1"), ("b", "2"));

        Func<string> missing = () => sut["d"];

        sut["a"].Should().Be("1");
        sut["c"].Should().Be("3");
        sut.ContainsKey("b").Should().BeTrue();
        sut.ContainsKey("B").Should().BeFalse("keys are ordinal");
        sut.TryGetValue("d", out string? absent).Should().BeFalse();
        absent.Should().BeNull();
        missing.Should().Throw<KeyNotFoundException>().WithMessage("*'d'*");
    }

    [Fact]
    public void Equality_SamePairsInAnyOrder_EqualWithSameHashCode()
    {
        EventAttributes sut = EventAttributes.Of(("a", "1"), ("b", "2"));

        EventAttributes reordered = EventAttributes.Of(("b", "2"), ("a", "1"));

        sut.Equals(reordered).Should().BeTrue();
        sut.Equals((object)reordered).Should().BeTrue();
        sut.GetHashCode().Should().Be(reordered.GetHashCode());
    }

    [Theory]
    [InlineData("a", "1", "b", "3")]
    [InlineData("a", "1", "c", "2")]
    [InlineData("a", "1", "B", "2")]
    public void Equality_DifferentPairs_NotEqual(string key1, string value1, string key2, string value2)
    {
        EventAttributes sut = EventAttributes.Of(("a", "1"), ("b", "2"));

        EventAttributes other = EventAttributes.Of((key1, value1), (key2, value2));

        sut.Equals(other).Should().BeFalse();
        sut.Equals(EventAttributes.Of(("a", "1"))).Should().BeFalse();
        sut.Equals(null).Should().BeFalse();
    }

    [Fact]
    public void ToString_ListsPairsInKeyOrder()
    {
        EventAttributes sut = EventAttributes.Of(("b", "2"), ("a", "1"));

        sut.ToString().Should().Be("{a=1, b=2}");
    }

    [Fact]
    public void Json_AnyInsertionOrder_WritesSortedKeysAndReadsBackEqual()
    {
        EventAttributes sut = EventAttributes.Of(("zeta", "26"), ("alpha", "1"), ("Mid", "café \"q\""));

        string json = JsonSerializer.Serialize(sut);
        EventAttributes? read = JsonSerializer.Deserialize<EventAttributes>(json);

        json.Should().Be(JsonSerializer.Serialize(new Dictionary<string, string> { ["Mid"] = "café \"q\"", ["alpha"] = "1", ["zeta"] = "26" }));
        read.Should().NotBeNull();
        read!.Equals(sut).Should().BeTrue();
        JsonSerializer.Deserialize<EventAttributes>("""{"b":"2","a":"1"}""")!.Equals(EventAttributes.Of(("a", "1"), ("b", "2"))).Should().BeTrue();
        JsonSerializer.Serialize(EventAttributes.Empty).Should().Be("{}");
    }

    [Fact]
    public void Json_ReservedKeys_AreReadBecauseJournalsStoreTheEnginesOwnAttributes()
    {
        EventAttributes? sut = JsonSerializer.Deserialize<EventAttributes>("""{"job.type":"order-fulfillment","orderId":"42"}""");

        sut!["job.type"].Should().Be("order-fulfillment");
        sut.Keys.Should().Equal("job.type", "orderId");
    }

    [Theory]
    [InlineData("""{"a":1}""")]
    [InlineData("""{"a":null}""")]
    [InlineData("""{"a":{"b":"c"}}""")]
    [InlineData("""["a","b"]""")]
    [InlineData("\"a\"")]
    [InlineData("""{"has space":"v"}""")]
    [InlineData("""{"a":"1","a":"2"}""")]
    [InlineData("""{"":"v"}""")]
    public void Json_InvalidAttributes_ThrowsJsonException(string json)
    {
        Action read = () => JsonSerializer.Deserialize<EventAttributes>(json);

        read.Should().Throw<JsonException>();
    }

    [Fact]
    public void Json_ValueTooLong_ThrowsJsonException()
    {
        string json = JsonSerializer.Serialize(new Dictionary<string, string> { ["a"] = new('v', EventAttributes.MaxValueLength + 1) });

        Action read = () => JsonSerializer.Deserialize<EventAttributes>(json);

        read.Should().Throw<JsonException>().WithMessage("*at most 1024*");
    }

    [Theory]
    [InlineData("a", "b,c")]
    [InlineData("b", "a,c")]
    [InlineData("c", "a,b")]
    [InlineData("missing", "a,b,c")]
    public void Without_RemovesOnlyThatKey_AndKeepsTheOrder(string key, string expectedKeys)
    {
        EventAttributes attributes = EventAttributes.Of(("c", "3"), ("a", "1"), ("b", "2"));
        EventAttributes without = attributes.Without(key);
        without.Select(static p => p.Key).Should().Equal(expectedKeys.Split(','));
        without.Equals(EventAttributes.Of([.. attributes.Where(p => p.Key != key).Select(static p => (p.Key, p.Value))])).Should().BeTrue();
    }

    [Fact]
    public void Without_TheOnlyKey_IsTheEmptySet()
    {
        ReferenceEquals(EventAttributes.Of(("only", "1")).Without("only"), EventAttributes.Empty).Should().BeTrue();
    }
}
