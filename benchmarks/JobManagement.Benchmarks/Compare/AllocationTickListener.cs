using System.Diagnostics.Tracing;

namespace JobManagement.Benchmarks.Compare;

/// <summary>
/// Sums the runtime's allocation ticks (one per ~100 KB allocated, naming the type that crossed the threshold) by type,
/// each weighed by the bytes it stands for: a sample of which types make up the bytes allocated. A tick is weighed, not
/// counted, because one array of several megabytes raises a single tick. Large objects (85,000 bytes and more) are
/// named apart: their allocations count towards the budget that sets off full (gen2) collections.
/// </summary>
internal sealed class AllocationTickListener : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Lock _gate = new();
    private bool _stopped;

    public Dictionary<string, long> ByType { get; } = [];

    public long Total { get; private set; }

    /// <summary>Stops counting and prints the commonest types, each with its share of <paramref name="bytesPerOperation"/>.</summary>
    public void Print(double bytesPerOperation, string operation, int top = 45)
    {
        Stop();
        foreach ((string type, long ticks) in ByType.OrderByDescending(static p => p.Value).Take(top))
        {
            double share = ticks / (double)Total;
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"    {share,6:P1}  ~{share * bytesPerOperation,6:N0} B/{operation}  {type}"));
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        int index = eventData.PayloadNames?.IndexOf("TypeName") ?? -1;
        string type = index >= 0 ? eventData.Payload[index] as string ?? "?" : "?";
        int amount = eventData.PayloadNames?.IndexOf("AllocationAmount64") ?? -1;
        long bytes = amount >= 0 ? Convert.ToInt64(eventData.Payload[amount], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        int kind = eventData.PayloadNames?.IndexOf("AllocationKind") ?? -1;
        if (kind >= 0 && Convert.ToInt32(eventData.Payload[kind], System.Globalization.CultureInfo.InvariantCulture) == 1)
        {
            type = "(large object heap) " + type; // counted apart by the runtime: each tick is ~100 KB of large objects
        }

        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            ByType[type] = ByType.GetValueOrDefault(type) + bytes;
            Total += bytes;
        }
    }
}
