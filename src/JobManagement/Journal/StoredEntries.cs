using System.Diagnostics.CodeAnalysis;

namespace JobManagement;

/// <summary>
/// The in-memory journal's entries, in order: plain-data records (<see cref="StoredEntry"/>) in chunks of native memory,
/// and the references they name in columns (<see cref="RefColumn{T}"/>). An entry is named by its index everywhere.
/// </summary>
/// <remarks>
/// <para>Why native memory: as arrays, the chunks were large objects, and the journal the fastest-growing part of the
/// heap. Each new chunk counted towards the budget that sets off a full (gen2) collection, so a young journal growing by
/// 20,000 jobs set off one or two, each tracing the heap on a core the jobs needed (and the chunks' references were traced
/// by every collection that scanned their cards). Out of the collector's heap, an entry costs it nothing; what the entries
/// refer to is kept once per object, in columns of small arrays.</para>
/// <para>The first chunk grows (a small journal stays small); later chunks are made full size and never move. Chunks are
/// freed when the journal is collected (<see cref="NativeBlock{T}"/>). Not thread-safe: the journal's lock guards it.</para>
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification = "The chunks are memory only, freed when the journal is collected (NativeBlock is a SafeHandle): the journal owns no resource a caller must release, and one journal may be shared by several engines.")]
internal sealed class StoredEntries
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift; // 4,096 entries of 88 bytes
    private const int ChunkMask = ChunkSize - 1;

    private readonly RefColumn<string> _streams = new();
    private readonly RefColumn<string> _texts = new();
    private readonly RefColumn<object> _values = new();
    private readonly RefColumn<RareParts> _rare = new();
    private readonly EventTypes _eventTypes = new();
    private NativeBlock<StoredEntry>[] _chunks = [new(16)];
    private int _count;

    /// <summary>Gets the size in bytes of one entry's record (tests keep it without padding to spare).</summary>
    public static unsafe int EntryBytes => sizeof(StoredEntry);

    public int Count => _count;

    /// <summary>Gets the bytes of native memory the entries' chunks hold.</summary>
    public long NativeBytes => _chunks.Sum(static chunk => chunk?.Bytes ?? 0);

    /// <summary>Gets an entry's record.</summary>
    public ref readonly StoredEntry this[int index] => ref _chunks[index >> ChunkShift][index & ChunkMask];

    /// <summary>Names a new stream: the index its entries carry.</summary>
    public int AddStream(JobId jobId) => _streams.Append(jobId.Value);

    /// <summary>Adds an entry (to a stream <see cref="AddStream"/> named) and returns its index.</summary>
    public int Add(int stream, long sequence, NewJobEvent newEvent, in StoredEventId id, int previousWithSameEventId, int previousInStream)
    {
        var attributes = StoredAttributes.From(newEvent.Attributes);
        EventObservability observability = newEvent.Observability;
        int rare = newEvent.Extras is null && observability == EventObservability.None
            ? -1
            : _rare.Append(new RareParts(observability, newEvent.Extras));
        var entry = new StoredEntry(
            stream, sequence, previousInStream, previousWithSameEventId, newEvent, _eventTypes.IndexOf(newEvent.EventType),
            id, _texts.Add(id.Text), attributes, _values.Add(attributes.Value), rare);

        int index = _count;
        int chunk = index >> ChunkShift;
        int offset = index & ChunkMask;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        NativeBlock<StoredEntry>? target = _chunks[chunk];
        if (target is null)
        {
            target = _chunks[chunk] = new NativeBlock<StoredEntry>(ChunkSize);
        }
        else if (offset == target.Length)
        {
            // Only the first chunk grows; the later ones are made full size.
            var grown = new NativeBlock<StoredEntry>(Math.Min(target.Length * 2, ChunkSize));
            for (int i = 0; i < target.Length; i++)
            {
                grown[i] = target[i];
            }

            _chunks[chunk] = grown;
            target.Dispose(); // nothing refers into it: entries are named by index, under the journal's lock
            target = grown;
        }

        target[offset] = entry;
        _count = index + 1;
        return index;
    }

    public JobId JobIdAt(int index) => JobId.FromTrusted(_streams[this[index].Stream]);

    /// <summary>The job id (as text) of the stream <see cref="AddStream"/> named <paramref name="stream"/>.</summary>
    public string StreamIdAt(int stream) => _streams[stream];

    public EventTypeId EventTypeAt(int index) => _eventTypes[this[index].EventType];

    public StoredEventId IdAt(int index) => IdOf(this[index]);

    /// <summary>Whether entry <paramref name="index"/> carries the event id <paramref name="id"/>, without making its stored form when it is a UUID.</summary>
    public bool IdEquals(int index, in StoredEventId id)
    {
        ref readonly StoredEntry entry = ref this[index];
        if (id.Text is null)
        {
            return entry.Text < 0 && entry.Uuid == id.Uuid;
        }

        return entry.Text >= 0 && StoredEventId.FromParts(default, _texts[entry.Text], entry.IsDerived).Equals(id);
    }

    public StoredAttributes AttributesAt(int index) => AttributesOf(this[index]);

    /// <summary>The entry as readers get it.</summary>
    public JobEventLogEntry ToEntry(int index)
    {
        ref readonly StoredEntry entry = ref this[index];
        RareParts? rare = _rare.AtOrNull(entry.Rare);
        return new JobEventLogEntry
        {
            Position = index + 1L,
            JobId = JobId.FromTrusted(_streams[entry.Stream]),
            Sequence = entry.Sequence,
            EventId = IdOf(entry).ToEventId(),
            EventType = _eventTypes[entry.EventType],
            Lane = entry.Lane,
            Extras = rare?.Extras,
            OccurredAt = new DateTimeOffset(entry.OccurredTicks, TimeSpan.FromMinutes(entry.OccurredOffsetMinutes)),
            RecordedAt = new DateTimeOffset(entry.RecordedTicks, TimeSpan.FromMinutes(entry.RecordedOffsetMinutes)),
            Attributes = AttributesOf(entry).ToAttributes(),
            Observability = rare is null ? EventObservability.None : rare.Observability,
        };
    }

    private StoredEventId IdOf(in StoredEntry entry) => StoredEventId.FromParts(entry.Uuid, _texts.AtOrNull(entry.Text), entry.IsDerived);

    private StoredAttributes AttributesOf(in StoredEntry entry) => StoredAttributes.FromParts(_values.AtOrNull(entry.Value), entry.LeaseTicks, entry.Attempt);

    /// <summary>
    /// The journal's event types, each kept once and named by its index. Types recently stored are recognised by their
    /// string's reference (the engine's own are static), before a lookup by value.
    /// </summary>
    private sealed class EventTypes
    {
        private const int Recent = 8;

        private readonly Dictionary<EventTypeId, int> _indexes = [];
        private readonly List<EventTypeId> _types = [];
        private readonly string?[] _recent = new string?[Recent];
        private readonly int[] _recentIndex = new int[Recent];
        private int _nextRecent;

        public EventTypeId this[int index] => _types[index];

        public int IndexOf(EventTypeId type)
        {
            string value = type.Value;
            for (int i = 0; i < Recent; i++)
            {
                if (ReferenceEquals(_recent[i], value))
                {
                    return _recentIndex[i];
                }
            }

            if (!_indexes.TryGetValue(type, out int index))
            {
                index = _types.Count;
                _types.Add(type);
                _indexes.Add(type, index);
            }

            _recent[_nextRecent] = value;
            _recentIndex[_nextRecent] = index;
            _nextRecent = (_nextRecent + 1) % Recent;
            return index;
        }
    }
}
