using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobManagement;

/// <summary>Writes <see cref="EventAttributes"/> as a JSON object with ordinally sorted keys.</summary>
internal sealed class EventAttributesJsonConverter : JsonConverter<EventAttributes>
{
    public override EventAttributes Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a JSON object of string values for attributes, found {reader.TokenType}.");
        }

        List<KeyValuePair<string, string>> pairs = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"Attribute '{key}' must be a JSON string, found {reader.TokenType}.");
            }

            pairs.Add(KeyValuePair.Create(key, reader.GetString()!));
        }

        try
        {
            return EventAttributes.CreateTrusted(pairs);
        }
        catch (ArgumentException exception)
        {
            throw new JsonException(exception.Message, exception);
        }
    }

    public override void Write(Utf8JsonWriter writer, EventAttributes value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (KeyValuePair<string, string> pair in value)
        {
            writer.WriteString(pair.Key, pair.Value);
        }

        writer.WriteEndObject();
    }
}
