using System.Globalization;

namespace JobManagement;

/// <summary>
/// The in-memory journal's form of an entry's attributes. The set every attempt start writes (attempt number, lease
/// time, worker) is kept as two numbers and the worker's name; any other set is kept as it was given.
/// </summary>
/// <remarks>
/// A started attempt's set is the one set the engine makes new for every job (the others are shared, or made by the
/// caller): an object, its array and a 28-character time string that the journal would keep for good, each copied by
/// the young collections that promote it. Packed, it costs no object: the worker's name is the worker's own string.
/// Only text the engine would write back exactly is packed (a canonical attempt number, an "O"-format UTC time), so an
/// entry reads back with the same characters it was appended with.
/// </remarks>
internal readonly struct StoredAttributes
{
    private const int RoundTripUtcLength = 28; // yyyy-MM-ddTHH:mm:ss.fffffffZ

    private readonly object? _value;   // the EventAttributes as given; when packed, the worker's name (null for a lease renewal)
    private readonly long _leaseTicks; // when packed: job.lease-until, as UTC ticks
    private readonly int _attempt;     // when packed: job.attempt (> 0); 0 when not packed

    private StoredAttributes(object? value, long leaseTicks, int attempt)
    {
        _value = value;
        _leaseTicks = leaseTicks;
        _attempt = attempt;
    }

    /// <summary>Gets the set as given, or the worker's name when packed (null for a packed lease renewal).</summary>
    public object? Value => _value;

    /// <summary>Gets the lease time as UTC ticks, when packed.</summary>
    public long LeaseTicks => _leaseTicks;

    /// <summary>Gets the attempt number when packed; 0 when not.</summary>
    public int Attempt => _attempt;

    /// <summary>Gets a value indicating whether the set is kept as numbers rather than as the object it was given.</summary>
    public bool IsPacked => _attempt > 0;

    /// <summary>The set made of the parts the journal keeps apart (<see cref="Value"/>, <see cref="LeaseTicks"/>, <see cref="Attempt"/>).</summary>
    public static StoredAttributes FromParts(object? value, long leaseTicks, int attempt) => new(value, leaseTicks, attempt);

    /// <summary>The stored form of <paramref name="attributes"/>.</summary>
    public static StoredAttributes From(EventAttributes attributes)
    {
        // An attempt's start (attempt, lease-until, worker) or a lease renewal (attempt, lease-until); keys in ordinal order.
        ReadOnlySpan<KeyValuePair<string, string>> items = attributes.AsSpan();
        if (items.Length is 2 or 3
            && string.Equals(items[0].Key, ReservedAttributes.Attempt, StringComparison.Ordinal)
            && string.Equals(items[1].Key, ReservedAttributes.LeaseUntil, StringComparison.Ordinal)
            && (items.Length == 2 || string.Equals(items[2].Key, ReservedAttributes.Worker, StringComparison.Ordinal))
            && TryParseCanonicalAttempt(items[0].Value, out int attempt)
            && TryParseRoundTripUtc(items[1].Value, out long leaseTicks))
        {
            return new StoredAttributes(items.Length == 3 ? items[2].Value : null, leaseTicks, attempt);
        }

        return new StoredAttributes(attributes, 0, 0);
    }

    /// <summary>The attributes again, equal to those stored (for a packed set, a new set with the same text).</summary>
    public EventAttributes ToAttributes()
    {
        if (_attempt == 0)
        {
            return (EventAttributes)_value!;
        }

        string attempt = _attempt.ToString(CultureInfo.InvariantCulture);
        string lease = new DateTime(_leaseTicks, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);
        return EventAttributes.CreateEngineOwning(_value is string worker
            ? [KeyValuePair.Create(ReservedAttributes.Attempt, attempt), KeyValuePair.Create(ReservedAttributes.LeaseUntil, lease), KeyValuePair.Create(ReservedAttributes.Worker, worker)]
            : [KeyValuePair.Create(ReservedAttributes.Attempt, attempt), KeyValuePair.Create(ReservedAttributes.LeaseUntil, lease)]);
    }

    /// <summary>A positive number as <see cref="int.ToString()"/> writes it: digits, no sign, no leading zero.</summary>
    internal static bool TryParseCanonicalAttempt(string text, out int attempt)
    {
        attempt = 0;
        if (text.Length is 0 or > 9 || text[0] == '0')
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                attempt = 0;
                return false;
            }

            attempt = (attempt * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>
    /// A UTC time as the "O" format writes it (<c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>, fixed width): each such text names
    /// one instant and each instant has one such text, so the ticks give the text back.
    /// </summary>
    internal static bool TryParseRoundTripUtc(string text, out long ticks)
    {
        ticks = 0;
        if (text.Length != RoundTripUtcLength
            || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[27] != 'Z'
            || !TryDigits(text, 0, 4, out int year) || !TryDigits(text, 5, 2, out int month) || !TryDigits(text, 8, 2, out int day)
            || !TryDigits(text, 11, 2, out int hour) || !TryDigits(text, 14, 2, out int minute) || !TryDigits(text, 17, 2, out int second)
            || !TryDigits(text, 20, 7, out int fraction)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction;
        return true;
    }

    private static bool TryDigits(string text, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            char c = text[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
