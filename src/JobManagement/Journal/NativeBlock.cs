using System.Runtime.InteropServices;

namespace JobManagement;

/// <summary>
/// A fixed-length block of <typeparamref name="T"/> values in native memory, zeroed when made: storage for the in-memory
/// journal's plain-data tables, which the garbage collector then neither scans, copies nor counts.
/// </summary>
/// <remarks>
/// Why not an array: a table that grows with the journal is a large-object-heap array, and each new one counts towards the
/// budget that sets off a full (gen2) collection. A young journal growing fast set off one or two in every 20,000 jobs,
/// each tracing the whole heap on a core the jobs needed. The block is freed when disposed (a table that grew lets its
/// old block go at once) or else when the collector finalizes it, as the memory of an array would be: a journal is never
/// disposed (one may be shared by several engines). Not thread-safe: its owner's lock guards it.
/// </remarks>
/// <typeparam name="T">A type without references.</typeparam>
internal sealed unsafe class NativeBlock<T> : SafeHandle
    where T : unmanaged
{
    /// <summary>Allocates a zeroed block.</summary>
    /// <param name="length">How many values it holds (at least one).</param>
    public NativeBlock(int length)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Length = length;
        SetHandle((IntPtr)NativeMemory.AllocZeroed((nuint)length, (nuint)sizeof(T)));
    }

    /// <summary>Gets how many values the block holds.</summary>
    public int Length { get; }

    /// <summary>Gets the block's size in bytes.</summary>
    public long Bytes => (long)Length * sizeof(T);

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Gets the value at <paramref name="index"/> (bounds-checked), by reference.</summary>
    /// <param name="index">The index.</param>
    public ref T this[int index]
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            if ((uint)index >= (uint)Length)
            {
                ThrowOutOfRange(index);
            }

            return ref ((T*)handle)[index];
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        NativeMemory.Free((void*)handle);
        return true;
    }

    private static void ThrowOutOfRange(int index) => throw new ArgumentOutOfRangeException(nameof(index), index, "Outside the block.");
}
