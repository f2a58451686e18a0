namespace JobManagement.AspNetCore;

/// <summary>Turns the engine's field names (<c>Correlation</c>, <c>Observability.TraceId</c>, <c>jobs[3].Input</c>) into the JSON names clients send.</summary>
internal static class FieldNames
{
    public static string Json(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return "body";
        }

        string[] parts = field.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i].Length == 0 ? parts[i] : string.Concat(char.ToLowerInvariant(parts[i][0]).ToString(), parts[i].AsSpan(1));
        }

        return string.Join('.', parts);
    }

    /// <summary>The field a JSON reader error names: <c>$.priority</c> → <c>priority</c>, <c>$</c> → <c>body</c>.</summary>
    public static string FromJsonPath(string? path) =>
        path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
