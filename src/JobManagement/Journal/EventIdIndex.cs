namespace JobManagement;

/// <summary>
/// The in-memory journal's map from an event id to the latest entry that carries it (older ones are chained through
/// <see cref="StoredEntry.PreviousWithSameEventId"/>). It keeps no ids: a slot holds an entry's index and the id's
/// hash, and a lookup compares the id with the entry's own.
/// </summary>
/// <remarks>
/// A <c>Dictionary</c> keyed by the id kept a copy of each id (40 bytes an entry with <see cref="StoredEventId"/> as the
/// key), and its arrays grew with every event. A slot here is 8 bytes. Entries are never removed (the journal is
/// append-only), so open addressing with linear probing needs no tombstones; the hashes are seeded per process, so
/// ids chosen from outside cannot be made to share a run of slots. The slots live in native memory
/// (<see cref="NativeBlock{T}"/>): as an array, the table's doublings were a fifth of what a growing journal allocated on
/// the large-object heap, and so of the full collections it set off. Guarded by the journal's lock.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The slots are memory only, freed when the index is collected (NativeBlock is a SafeHandle): the journal owns no resource a caller must release, and one journal may be shared by several engines.")]
internal sealed class EventIdIndex(StoredEntries entries)
{
    private const int InitialSlots = 16;

    private NativeBlock<Slot> _slots = new(InitialSlots);
    private int _count;

    /// <summary>Gets the bytes of native memory the index holds.</summary>
    public long NativeBytes => _slots.Bytes;

    /// <summary>
    /// The index of the latest entry with <paramref name="id"/>, or -1 when no entry has it; <paramref name="probe"/>
    /// remembers where it looked, for <see cref="SetLatest"/>.
    /// </summary>
    public int Latest(in StoredEventId id, out Probe probe)
    {
        int hash = id.GetHashCode();
        int mask = _slots.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            Slot slot = _slots[i];
            if (slot.EntryPlusOne == 0 || (slot.Hash == hash && entries.IdEquals(slot.EntryPlusOne - 1, id)))
            {
                probe = new Probe(hash, i, _slots.Length, slot.EntryPlusOne);
                return slot.EntryPlusOne - 1;
            }
        }
    }

    /// <summary>Whether <paramref name="probe"/>'s answer still holds: nothing was stored in its slot, and the slots did not grow.</summary>
    public bool IsCurrent(in Probe probe) => probe.Length == _slots.Length && _slots[probe.Slot].EntryPlusOne == probe.Seen;

    /// <summary>
    /// Makes entry <paramref name="index"/> the latest with the id <paramref name="probe"/> looked for, which it carries
    /// (the probe is current: the journal holds its lock from the lookup to the update).
    /// </summary>
    public void SetLatest(in Probe probe, int index)
    {
        if (!IsCurrent(probe))
        {
            throw new InvalidOperationException("The event id index changed between a lookup and its update.");
        }

        ref Slot slot = ref _slots[probe.Slot];
        if (slot.EntryPlusOne != 0)
        {
            slot = new Slot(probe.Hash, index + 1); // a newer entry with the same id
            return;
        }

        slot = new Slot(probe.Hash, index + 1);
        if (++_count * 2 > _slots.Length)
        {
            _slots = OpenAddressing.Grow(_slots); // at most half full: a miss (every new id) ends at an empty slot after a short run
        }
    }

    /// <summary>Where <see cref="Latest"/> found an id (or the empty slot where it would go), and what that slot held then.</summary>
    internal readonly record struct Probe(int Hash, int Slot, int Length, int Seen);

    private readonly record struct Slot(int Hash, int EntryPlusOne) : IHashSlot
    {
        public bool IsEmpty => EntryPlusOne == 0;
    }
}
