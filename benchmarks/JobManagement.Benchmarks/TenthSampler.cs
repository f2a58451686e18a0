using System.Buffers.Binary;
using System.Diagnostics;

namespace JobManagement.Benchmarks;

/// <summary>
/// The decisions OpenTelemetry .NET's <c>ParentBased(TraceIdRatioBased(0.1))</c> sampler gives an
/// <see cref="ActivityListener"/>, without depending on the SDK: a span with a parent follows it; a root is
/// recorded when the first eight bytes of its trace id fall in the lowest tenth of their range. The SDK turns an
/// unsampled root (or a child of a remote unsampled parent) into <see cref="ActivitySamplingResult.PropagationData"/>
/// — the span is still created, to carry its trace id onwards, but gets no attributes — and an unsampled child of
/// a local parent into <see cref="ActivitySamplingResult.None"/> (no span at all). In the ingest benchmark every
/// <c>job.ingest</c> span is a root, so nine in ten are propagation-only spans.
/// </summary>
internal static class TenthSampler
{
    private const ulong Bound = ulong.MaxValue / 10;

    public static ActivitySamplingResult Sample(ref ActivityCreationOptions<ActivityContext> options)
    {
        ActivityContext parent = options.Parent;
        if (parent.TraceId != default)
        {
            return (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? ActivitySamplingResult.AllDataAndRecorded
                : parent.IsRemote ? ActivitySamplingResult.PropagationData
                : ActivitySamplingResult.None;
        }

        // Reading TraceId makes the runtime generate the root's trace id now; the span keeps it.
        Span<byte> id = stackalloc byte[16];
        options.TraceId.CopyTo(id);
        return BinaryPrimitives.ReadUInt64BigEndian(id) < Bound ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData;
    }
}
