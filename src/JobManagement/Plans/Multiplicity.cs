using System.Globalization;

namespace JobManagement;

/// <summary>How many matching events (distinct event ids) satisfy an expectation.</summary>
/// <remarks><c>default</c> is <see cref="ExactlyOnce"/>.</remarks>
public readonly record struct Multiplicity
{
    private readonly int _extra;

    private Multiplicity(MultiplicityKind kind, int required)
    {
        Kind = kind;
        _extra = required - 1;
    }

    /// <summary>Gets the kind of multiplicity.</summary>
    public MultiplicityKind Kind { get; }

    /// <summary>Gets how many matches satisfy the expectation (1 for <see cref="ExactlyOnce"/> and <see cref="AtLeastOnce"/>).</summary>
    public int Required => _extra + 1;

    /// <summary>Gets the default: the first match satisfies; later matches are surplus (visible, never a failure).</summary>
    public static Multiplicity ExactlyOnce => default;

    /// <summary>Gets the multiplicity where the first match satisfies and later matches also count (not surplus).</summary>
    public static Multiplicity AtLeastOnce => new(MultiplicityKind.AtLeastOnce, 1);

    /// <summary>Requires <paramref name="count"/> matches with distinct event ids; further matches are surplus.</summary>
    /// <param name="count">How many, 1 or more.</param>
    /// <returns>The multiplicity.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public static Multiplicity Times(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new(MultiplicityKind.Times, count);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        MultiplicityKind.Times => string.Create(CultureInfo.InvariantCulture, $"Times({Required})"),
        _ => Kind.ToString(),
    };
}

/// <summary>The kinds of <see cref="Multiplicity"/>.</summary>
public enum MultiplicityKind
{
    /// <summary>One match satisfies; later ones are surplus.</summary>
    ExactlyOnce = 0,

    /// <summary>One match satisfies; later ones count too.</summary>
    AtLeastOnce = 1,

    /// <summary>A fixed number of distinct matches satisfies; later ones are surplus.</summary>
    Times = 2,
}
