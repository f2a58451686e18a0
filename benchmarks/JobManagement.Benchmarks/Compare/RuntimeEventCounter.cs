using System.Diagnostics.Tracing;

namespace JobManagement.Benchmarks.Compare;

/// <summary>Counts the runtime's events of some keywords by a key each subclass reads from the event; prints and clears the counts.</summary>
internal abstract class RuntimeEventCounter(EventKeywords keywords, EventLevel level) : EventListener
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _counts = [];

    /// <summary>Prints the commonest keys with their counts (most first, or by key when <paramref name="byKey"/>) and starts counting again.</summary>
    public void Print(string label, int top, bool byKey = false)
    {
        lock (_gate)
        {
            IEnumerable<KeyValuePair<string, int>> rows = byKey
                ? _counts.OrderBy(static p => p.Key, StringComparer.Ordinal)
                : _counts.OrderByDescending(static p => p.Value);
            foreach ((string key, int count) in rows.Take(top))
            {
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"    {label} {count,6}  {key}"));
            }

            _counts.Clear();
        }
    }

    /// <summary>The key an event is counted under, or null when it is not counted.</summary>
    protected abstract string? KeyOf(EventWrittenEventArgs eventData);

    protected static T Payload<T>(EventWrittenEventArgs eventData, string name) =>
        (T)Convert.ChangeType(eventData.Payload![eventData.PayloadNames!.IndexOf(name)]!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, level, keywords);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is null || eventData.Payload is null || eventData.PayloadNames is null || KeyOf(eventData) is not { } key)
        {
            return;
        }

        lock (_gate)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }
    }
}
