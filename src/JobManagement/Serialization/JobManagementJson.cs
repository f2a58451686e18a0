using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobManagement;

/// <summary>
/// The JSON settings the library uses for its own types (states, entries, plans): camel-case
/// names, enums as strings, ids as strings. The output is culture-invariant and deterministic,
/// so serializing an equal state always gives the same bytes.
/// </summary>
public static class JobManagementJson
{
    /// <summary>Gets the read-only serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serializes a job state to UTF-8 JSON bytes.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Serialize(JobState state) => JsonSerializer.SerializeToUtf8Bytes(state, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
