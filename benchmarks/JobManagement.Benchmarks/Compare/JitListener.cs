using System.Diagnostics.Tracing;

namespace JobManagement.Benchmarks.Compare;

/// <summary>Counts methods the JIT compiled (JM_JIT=1), by namespace and tier: what still compiles once the rounds are warm.</summary>
internal sealed class JitListener : EventListener
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _counts = [];

    public void Print(int top = 60)
    {
        lock (_gate)
        {
            foreach ((string key, int count) in _counts.OrderByDescending(static p => p.Value).Take(top))
            {
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"    jitted {count,6}  {key}"));
            }

            _counts.Clear();
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x10);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is null || !eventData.EventName.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        string ns = eventData.Payload[eventData.PayloadNames.IndexOf("MethodNamespace")] as string ?? "?";
        string name = eventData.Payload[eventData.PayloadNames.IndexOf("MethodName")] as string ?? "?";
        string key = (ns.Length > 70 ? ns[..70] : ns) + "::" + name;
        lock (_gate)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }
    }
}
