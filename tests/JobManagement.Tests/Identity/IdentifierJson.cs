using System.Text.Json;

namespace JobManagement.Tests.Identity;

/// <summary>JSON checks every typed identifier shares: a string value, and a dictionary key.</summary>
internal static class IdentifierJson
{
    public static void ShouldRoundTrip<T>(T value, string text)
        where T : struct
    {
        string json = JsonSerializer.Serialize(value);
        json.Should().Be(JsonSerializer.Serialize(text));
        JsonSerializer.Deserialize<T>(json).Should().Be(value);

        var map = new Dictionary<T, int> { [value] = 1 };
        string mapJson = JsonSerializer.Serialize(map);
        mapJson.Should().Be($"{{{JsonSerializer.Serialize(text)}:1}}");
        JsonSerializer.Deserialize<Dictionary<T, int>>(mapJson).Should().Equal(map);

        T? nullable = value;
        JsonSerializer.Deserialize<T?>(JsonSerializer.Serialize(nullable)).Should().Be(value);
        JsonSerializer.Deserialize<T?>("null").Should().BeNull();
    }

    public static void ShouldRejectValue<T>(string json)
        where T : struct
    {
        Action read = () => JsonSerializer.Deserialize<T>(json);
        read.Should().Throw<JsonException>();
    }

    public static void ShouldRejectKey<T>(string key)
        where T : struct
    {
        Action read = () => JsonSerializer.Deserialize<Dictionary<T, int>>($"{{{JsonSerializer.Serialize(key)}:1}}");
        read.Should().Throw<JsonException>();
    }
}
