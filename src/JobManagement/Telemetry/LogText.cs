using System.Globalization;
using System.Text;

namespace JobManagement;

/// <summary>
/// Makes text that others control (abort reasons, exception and rejection texts, attribute values) safe
/// to put in a log message: line breaks and other control characters are escaped, so a value can never
/// end the line and forge another entry in a text log.
/// </summary>
internal static class LogText
{
    /// <summary>Returns the text with <c>\r</c>, <c>\n</c>, <c>\t</c> escaped and every other control or line-separator character as <c>\uXXXX</c>; the same instance when nothing needs escaping.</summary>
    public static string Safe(string? text)
    {
        if (text is null)
        {
            return string.Empty;
        }

        int first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        escaped.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\r':
                    escaped.Append("\\r");
                    break;
                case '\n':
                    escaped.Append("\\n");
                    break;
                case '\t':
                    escaped.Append("\\t");
                    break;
                default:
                    if (IsUnsafe(c))
                    {
                        escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        return escaped.ToString();
    }

    private static int IndexOfUnsafe(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    // Control characters (C0, DEL, C1 including NEL) and the Unicode line and paragraph separators.
    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
