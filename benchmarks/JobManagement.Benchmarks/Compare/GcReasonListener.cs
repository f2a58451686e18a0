using System.Diagnostics.Tracing;

namespace JobManagement.Benchmarks.Compare;

/// <summary>Counts garbage collections by generation, reason and kind (JM_GC_REASONS=1): which budget set them off.</summary>
internal sealed class GcReasonListener() : RuntimeEventCounter((EventKeywords)0x1, EventLevel.Informational)
{
    private static readonly string[] Reasons = ["AllocSmall", "Induced", "LowMemory", "Empty", "AllocLarge", "OutOfSpaceSOH", "OutOfSpaceLOH", "InducedNotForced", "Internal", "InducedLowMemory", "InducedCompacting", "LowMemoryHost", "PMFullGC", "LowMemoryHostBlocking"];
    private static readonly string[] Kinds = ["blocking", "background", "blocking during background"];

    public void Print() => Print("GC", top: 20, byKey: true);

    protected override string? KeyOf(EventWrittenEventArgs eventData)
    {
        if (!eventData.EventName!.StartsWith("GCStart", StringComparison.Ordinal))
        {
            return null;
        }

        uint depth = Payload<uint>(eventData, "Depth"), reason = Payload<uint>(eventData, "Reason"), kind = Payload<uint>(eventData, "Type");
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"gen{depth} {(reason < Reasons.Length ? Reasons[reason] : reason.ToString(System.Globalization.CultureInfo.InvariantCulture))} {(kind < Kinds.Length ? Kinds[kind] : "?")}");
    }
}
