using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace JobManagement;

/// <summary>
/// The in-memory journal's map from a job id to where its stream ends (<see cref="StreamTail"/>). It keeps no ids: a slot
/// holds the stream's column index (its job id is kept once, in <see cref="StoredEntries"/>), the id's hash, and the tail.
/// </summary>
/// <remarks>
/// Open addressing over 16-byte slots in native memory, as <see cref="EventIdIndex"/>: a <c>Dictionary</c> keyed by the job
/// id grew a large array with every doubling, one more thing a growing journal counted towards the collector's full
/// collections, and its entries held each id again. Streams are never removed (the journal is append-only), so linear
/// probing needs no tombstones; the ids' hashes are the runtime's per-process randomized string hashes. Guarded by the
/// journal's lock.
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification = "The slots are memory only, freed when the index is collected (NativeBlock is a SafeHandle): the journal owns no resource a caller must release, and one journal may be shared by several engines.")]
internal sealed class StreamIndex(StoredEntries entries)
{
    private const int InitialSlots = 16;

    private NativeBlock<Slot> _slots = new(InitialSlots);
    private int _count;

    /// <summary>Gets the bytes of native memory the index holds.</summary>
    public long NativeBytes => _slots.Bytes;

    /// <summary>Where <paramref name="jobId"/>'s stream ends; false when the journal has no such stream.</summary>
    public bool TryGet(JobId jobId, out StreamTail tail)
    {
        int i = Find(jobId.Value, Hash(jobId.Value));
        Slot slot = _slots[i];
        tail = slot.Tail;
        return slot.Tail.Count > 0;
    }

    /// <summary>
    /// The tail of <paramref name="jobId"/>'s stream, by reference, to update after an append; a new stream is named first
    /// (<see cref="StoredEntries.AddStream"/>) and its tail has a count of 0. The reference is good until the next call.
    /// </summary>
    public ref StreamTail GetOrAdd(JobId jobId, out bool exists)
    {
        string id = jobId.Value;
        int hash = Hash(id);
        int i = Find(id, hash);
        if (_slots[i].Tail.Count > 0)
        {
            exists = true;
            return ref _slots[i].Tail;
        }

        exists = false;
        if ((_count + 1) * 2 > _slots.Length)
        {
            _slots = OpenAddressing.Grow(_slots); // at most half full: a miss (every new stream) ends at an empty slot after a short run
            i = Find(id, hash);
        }

        _count++;
        ref Slot slot = ref _slots[i];
        slot = new Slot { Hash = hash, Tail = new StreamTail(-1, 0, entries.AddStream(jobId)) };
        return ref slot.Tail;
    }

    private static int Hash(string id) => string.GetHashCode(id.AsSpan());

    /// <summary>The slot holding the stream, or the empty slot where it would go.</summary>
    private int Find(string id, int hash)
    {
        int mask = _slots.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            Slot slot = _slots[i];
            if (slot.Tail.Count == 0 || (slot.Hash == hash && string.Equals(entries.StreamIdAt(slot.Tail.Stream), id, StringComparison.Ordinal)))
            {
                return i;
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Slot : IHashSlot
    {
        public int Hash;
        public StreamTail Tail;

        readonly int IHashSlot.Hash => Hash;

        public readonly bool IsEmpty => Tail.Count == 0; // a stream has an entry once stored
    }
}

/// <summary>Where a stream ends: the index of its last entry and its length (its version); and the index its entries name it by.</summary>
/// <param name="Last">The index of the stream's last entry.</param>
/// <param name="Count">The stream's length; 0 only while a new stream's first entry is being stored.</param>
/// <param name="Stream">The stream's index in the journal's column of job ids.</param>
internal readonly record struct StreamTail(int Last, int Count, int Stream);
