using System.Collections.Immutable;

namespace JobManagement;

/// <summary>What an append did: one outcome per submitted event, in submission order.</summary>
/// <remarks>
/// Read the outcomes with the indexer and <see cref="Count"/>: a one-event append (the engine's
/// usual case) keeps its outcome inline, and <see cref="Outcomes"/> then builds a one-element array
/// on each call.
/// </remarks>
public readonly record struct AppendResult
{
    private readonly ImmutableArray<AppendOutcome> _outcomes;
    private readonly AppendOutcome _single;

    /// <summary>Initializes a new instance of the <see cref="AppendResult"/> struct with one outcome per submitted event.</summary>
    /// <param name="jobId">The stream appended to.</param>
    /// <param name="streamVersion">The stream's version after the append.</param>
    /// <param name="outcomes">One outcome per submitted event, in order.</param>
    public AppendResult(JobId jobId, long streamVersion, ImmutableArray<AppendOutcome> outcomes)
    {
        if (outcomes.IsDefault)
        {
            throw new ArgumentException("The outcomes are default; pass an empty array for none.", nameof(outcomes));
        }

        JobId = jobId;
        StreamVersion = streamVersion;
        _outcomes = outcomes;
    }

    /// <summary>Initializes a new instance of the <see cref="AppendResult"/> struct for a one-event append.</summary>
    /// <param name="jobId">The stream appended to.</param>
    /// <param name="streamVersion">The stream's version after the append.</param>
    /// <param name="outcome">The event's outcome.</param>
    public AppendResult(JobId jobId, long streamVersion, AppendOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome.Entry, nameof(outcome));
        JobId = jobId;
        StreamVersion = streamVersion;
        _single = outcome;
    }

    /// <summary>Gets the stream appended to.</summary>
    public JobId JobId { get; }

    /// <summary>Gets the stream's version after the append.</summary>
    public long StreamVersion { get; }

    /// <summary>Gets the number of outcomes (the number of submitted events).</summary>
    public int Count => !_outcomes.IsDefault ? _outcomes.Length : _single.Entry is null ? 0 : 1;

    /// <summary>Gets one outcome per submitted event, in order.</summary>
    public ImmutableArray<AppendOutcome> Outcomes => !_outcomes.IsDefault ? _outcomes : _single.Entry is null ? [] : [_single];

    /// <summary>Gets a value indicating whether every submitted event was a duplicate (nothing appended).</summary>
    public bool AllDuplicates
    {
        get
        {
            for (int i = 0; i < Count; i++)
            {
                if (!this[i].IsDuplicate)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Gets the outcome of the submitted event at <paramref name="index"/>.</summary>
    /// <param name="index">The event's index in the submitted batch.</param>
    /// <returns>Its outcome.</returns>
    public AppendOutcome this[int index] =>
        !_outcomes.IsDefault ? _outcomes[index]
        : index == 0 && _single.Entry is not null ? _single
        : throw new ArgumentOutOfRangeException(nameof(index), index, "No outcome at that index.");

    /// <summary>Deconstructs the result.</summary>
    /// <param name="jobId">The stream appended to.</param>
    /// <param name="streamVersion">The stream's version after the append.</param>
    /// <param name="outcomes">One outcome per submitted event, in order.</param>
    public void Deconstruct(out JobId jobId, out long streamVersion, out ImmutableArray<AppendOutcome> outcomes)
    {
        jobId = JobId;
        streamVersion = StreamVersion;
        outcomes = Outcomes;
    }

    /// <summary>Compares stream, version and every outcome (however each result keeps them).</summary>
    /// <param name="other">The other result.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(AppendResult other)
    {
        if (JobId != other.JobId || StreamVersion != other.StreamVersion || Count != other.Count)
        {
            return false;
        }

        for (int i = 0; i < Count; i++)
        {
            if (this[i] != other[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(JobId, StreamVersion, Count);
}
