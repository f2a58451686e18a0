namespace JobManagement;

/// <summary>
/// The version a writer expects a stream to be at when it appends (optimistic concurrency).
/// A stream's version is the sequence of its last entry; a stream with no entries is at 0.
/// </summary>
/// <remarks><c>default</c> equals <see cref="NoStream"/>.</remarks>
public readonly record struct ExpectedStreamVersion
{
    private ExpectedStreamVersion(long value) => Value = value;

    /// <summary>Gets the expected version; -1 means <see cref="Any"/>.</summary>
    public long Value { get; }

    /// <summary>Gets the expectation that the stream has no entries yet.</summary>
    public static ExpectedStreamVersion NoStream => default;

    /// <summary>Gets the expectation that accepts any version (no concurrency check).</summary>
    public static ExpectedStreamVersion Any { get; } = new(-1);

    /// <summary>Gets a value indicating whether this is <see cref="Any"/>.</summary>
    public bool IsAny => Value == -1;

    /// <summary>Expects the stream to be at exactly <paramref name="version"/>.</summary>
    /// <param name="version">The expected version, 0 or more.</param>
    /// <returns>The expectation.</returns>
    public static ExpectedStreamVersion Exactly(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return new(version);
    }

    /// <summary>Tells whether a stream at <paramref name="actual"/> meets the expectation.</summary>
    /// <param name="actual">The stream's current version.</param>
    /// <returns>True when an append may proceed.</returns>
    public bool IsMetBy(long actual) => IsAny || Value == actual;

    /// <inheritdoc />
    public override string ToString() => IsAny ? "any" : Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
