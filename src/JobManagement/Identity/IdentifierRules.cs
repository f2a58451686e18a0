namespace JobManagement;

/// <summary>
/// Validation shared by the identifier types. Kept in one place so every id reports problems
/// the same way and the rules are documented once (see docs/concepts.md).
/// </summary>
internal static class IdentifierRules
{
    /// <summary>Characters allowed in <see cref="JobId"/>, <see cref="TaskId"/> and <see cref="JobType"/> besides ASCII letters and digits.</summary>
    private const string KeyPunctuation = "-_.:@";

    internal static string? ValidateKey(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > maxLength)
        {
            return $"must be at most {maxLength} characters (was {value.Length})";
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !KeyPunctuation.Contains(c, StringComparison.Ordinal))
            {
                return $"contains '{Printable(c)}'; only ASCII letters, digits and '{KeyPunctuation}' are allowed";
            }
        }

        return null;
    }

    /// <summary>Any printable, non-whitespace characters: event ids come from foreign producers.</summary>
    internal static string? ValidateOpaque(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > maxLength)
        {
            return $"must be at most {maxLength} characters (was {value.Length})";
        }

        foreach (char c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"contains '{Printable(c)}'; whitespace and control characters are not allowed";
            }
        }

        return null;
    }

    /// <summary>Lower-case segments of <c>[a-z0-9]</c>, joined by '.', with '-' or '_' inside a segment.</summary>
    internal static string? ValidateDotted(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > maxLength)
        {
            return $"must be at most {maxLength} characters (was {value.Length})";
        }

        char previous = '.';
        foreach (char c in value)
        {
            bool separator = c is '.' or '-' or '_';
            if (!separator && !char.IsAsciiDigit(c) && !char.IsAsciiLetterLower(c))
            {
                return $"contains '{Printable(c)}'; use lower-case letters, digits, '.', '-' and '_' (e.g. 'payment.captured')";
            }

            if (separator && previous is '.' or '-' or '_')
            {
                return "must not start with, or repeat, a separator ('.', '-', '_')";
            }

            previous = c;
        }

        return previous is '.' or '-' or '_' ? "must not end with a separator ('.', '-', '_')" : null;
    }

    internal static ArgumentException Invalid(string typeName, string? value, string problem, string? paramName) =>
        new($"{typeName} {Quote(value)} is invalid: it {problem}.", paramName ?? "value");

    private static string Quote(string? value) => value is null ? "(null)" : value.Length > 64 ? $"'{value[..64]}…'" : $"'{value}'";

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
