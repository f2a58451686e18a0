using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace JobManagement.Tests.TestDoubles;

/// <summary>Keeps every log entry written through it, with the key/value pairs of the scopes it was written in, for tests that assert on logging.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Dictionary<string, object?> scope = [];
            owner._scopes.ForEachScope(
                static (item, values) =>
                {
                    if (item is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (KeyValuePair<string, object?> pair in pairs)
                        {
                            values[pair.Key] = pair.Value;
                        }
                    }
                },
                scope);
            owner._entries.Enqueue(new CapturedLog(category, logLevel, eventId.Id, formatter(state, exception), scope));
        }
    }
}

/// <summary>One captured log entry, with the key/value pairs of its scopes (the innermost wins).</summary>
public sealed record CapturedLog(string Category, LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?>? Scope = null);
