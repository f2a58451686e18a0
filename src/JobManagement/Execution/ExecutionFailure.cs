using System.Collections.Immutable;

namespace JobManagement;

/// <summary>
/// How an attempt failed, kept in the journal: the exception's type, message and stack trace, and
/// its inner causes. Plain data, so a failure stays readable after a restart, on another node, and
/// without the assembly that threw it.
/// </summary>
/// <param name="Type">The exception's full type name.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="StackTrace">The stack trace, when there was one.</param>
/// <param name="InnerCauses">The inner exceptions, outermost first (for an <see cref="AggregateException"/>, each of them).</param>
public sealed record ExecutionFailure(string Type, string Message, string? StackTrace, ImmutableArray<ExecutionFailure> InnerCauses)
{
    /// <summary>How deep inner causes are followed; deeper ones are left out.</summary>
    public const int MaxDepth = 8;

    /// <summary>Records an exception and its inner causes.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The failure.</returns>
    public static ExecutionFailure From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return From(exception, depth: 0);
    }

    /// <inheritdoc />
    public bool Equals(ExecutionFailure? other) =>
        other is not null && Type == other.Type && Message == other.Message && StackTrace == other.StackTrace
        && InnerCauses.SequenceEqual(other.InnerCauses);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, Message);

    /// <summary>Returns <c>Type: Message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Type}: {Message}";

    private static ExecutionFailure From(Exception exception, int depth)
    {
        IEnumerable<Exception> inner = exception is AggregateException aggregate
            ? aggregate.InnerExceptions
            : exception.InnerException is { } single ? [single] : [];
        return new ExecutionFailure(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            depth >= MaxDepth ? [] : [.. inner.Select(e => From(e, depth + 1))]);
    }
}
