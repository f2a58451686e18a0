using System.Diagnostics.Tracing;

namespace JobManagement.Benchmarks.Compare;

/// <summary>Counts garbage collections by generation, reason and type (JM_GC_REASONS=1): which budget set them off.</summary>
internal sealed class GcReasonListener : EventListener
{
    private static readonly string[] Reasons = ["AllocSmall", "Induced", "LowMemory", "Empty", "AllocLarge", "OutOfSpaceSOH", "OutOfSpaceLOH", "InducedNotForced", "Internal", "InducedLowMemory", "InducedCompacting", "LowMemoryHost", "PMFullGC", "LowMemoryHostBlocking"];
    private static readonly string[] Types = ["blocking", "background", "blocking during background"];
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _counts = [];

    public void Print()
    {
        lock (_gate)
        {
            foreach ((string key, int count) in _counts.OrderBy(static p => p.Key, StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"    GC {key}: {count}"));
            }

            _counts.Clear();
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is null || !eventData.EventName.StartsWith("GCStart", StringComparison.Ordinal) || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        uint depth = Convert.ToUInt32(eventData.Payload[eventData.PayloadNames.IndexOf("Depth")], System.Globalization.CultureInfo.InvariantCulture);
        uint reason = Convert.ToUInt32(eventData.Payload[eventData.PayloadNames.IndexOf("Reason")], System.Globalization.CultureInfo.InvariantCulture);
        uint type = Convert.ToUInt32(eventData.Payload[eventData.PayloadNames.IndexOf("Type")], System.Globalization.CultureInfo.InvariantCulture);
        string key = $"gen{depth} {(reason < Reasons.Length ? Reasons[reason] : reason.ToString(System.Globalization.CultureInfo.InvariantCulture))} {(type < Types.Length ? Types[type] : "?")}";
        lock (_gate)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }
    }
}
