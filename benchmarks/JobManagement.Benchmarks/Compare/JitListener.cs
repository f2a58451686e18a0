using System.Diagnostics.Tracing;

namespace JobManagement.Benchmarks.Compare;

/// <summary>Counts the methods the JIT compiled (JM_JIT=1), by namespace and name: what still compiles once the rounds are warm.</summary>
internal sealed class JitListener() : RuntimeEventCounter((EventKeywords)0x10, EventLevel.Verbose)
{
    public void Print() => Print("jitted", top: 60);

    protected override string? KeyOf(EventWrittenEventArgs eventData)
    {
        if (!eventData.EventName!.StartsWith("MethodLoadVerbose", StringComparison.Ordinal))
        {
            return null;
        }

        string ns = Payload<string>(eventData, "MethodNamespace");
        return (ns.Length > 70 ? ns[..70] : ns) + "::" + Payload<string>(eventData, "MethodName");
    }
}
