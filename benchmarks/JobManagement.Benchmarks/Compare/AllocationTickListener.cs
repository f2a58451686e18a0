using System.Diagnostics.Tracing;

namespace JobManagement.Benchmarks.Compare;

/// <summary>
/// Counts the runtime's allocation ticks (one per ~100 KB allocated, naming the type that crossed
/// the threshold) by type: a sample of which types make up the bytes allocated.
/// </summary>
internal sealed class AllocationTickListener : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Lock _gate = new();
    private bool _stopped;

    public Dictionary<string, int> ByType { get; } = [];

    public int Total { get; private set; }

    /// <summary>Stops counting and prints the commonest types, each with its share of <paramref name="bytesPerOperation"/>.</summary>
    public void Print(double bytesPerOperation, string operation, int top = 45)
    {
        Stop();
        foreach ((string type, int ticks) in ByType.OrderByDescending(static p => p.Value).Take(top))
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
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            ByType[type] = ByType.GetValueOrDefault(type) + 1;
            Total++;
        }
    }
}
