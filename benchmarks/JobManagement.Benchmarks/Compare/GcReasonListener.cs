using System.Diagnostics.Tracing;

namespace JobManagement.Benchmarks.Compare;

/// <summary>
/// Counts garbage collections by generation, reason and kind (JM_GC_REASONS=1): which budget set them off; and sums
/// the bytes each collection promoted out of gen0 and gen1, the survivors it had to copy (what a collection's pause grows with).
/// </summary>
internal sealed class GcReasonListener() : RuntimeEventCounter((EventKeywords)0x1, EventLevel.Informational)
{
    private static readonly string[] Reasons = ["AllocSmall", "Induced", "LowMemory", "Empty", "AllocLarge", "OutOfSpaceSOH", "OutOfSpaceLOH", "InducedNotForced", "Internal", "InducedLowMemory", "InducedCompacting", "LowMemoryHost", "PMFullGC", "LowMemoryHostBlocking"];
    private static readonly string[] Kinds = ["blocking", "background", "blocking during background"];

    private long _promotedFromGen0;
    private long _promotedFromGen1;
    private volatile bool _lastInduced; // GCHeapStats follows its collection's GCStart: the meter's own induced collections are not counted

    /// <summary>Prints the collections, and the bytes promoted per job (collections the meter induced are listed, but their promotions are not counted).</summary>
    public void Print(int jobs)
    {
        Print("GC", top: 20, byKey: true);
        long gen0 = Interlocked.Exchange(ref _promotedFromGen0, 0), gen1 = Interlocked.Exchange(ref _promotedFromGen1, 0);
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"    GC promoted out of gen0 {(double)gen0 / jobs,8:N0} B/job, out of gen1 {(double)gen1 / jobs,8:N0} B/job"));
    }

    protected override string? KeyOf(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName!.StartsWith("GCHeapStats", StringComparison.Ordinal))
        {
            if (_lastInduced)
            {
                return null;
            }

            Interlocked.Add(ref _promotedFromGen0, Payload<long>(eventData, "TotalPromotedSize0"));
            Interlocked.Add(ref _promotedFromGen1, Payload<long>(eventData, "TotalPromotedSize1"));
            return null;
        }

        if (!eventData.EventName!.StartsWith("GCStart", StringComparison.Ordinal))
        {
            return null;
        }

        uint depth = Payload<uint>(eventData, "Depth"), reason = Payload<uint>(eventData, "Reason"), kind = Payload<uint>(eventData, "Type");
        _lastInduced = reason is 1 or 7 or 10; // Induced, InducedNotForced, InducedCompacting
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"gen{depth} {(reason < Reasons.Length ? Reasons[reason] : reason.ToString(System.Globalization.CultureInfo.InvariantCulture))} {(kind < Kinds.Length ? Kinds[kind] : "?")}");
    }
}
