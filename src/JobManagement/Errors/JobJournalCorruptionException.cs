using System.Globalization;

namespace JobManagement;

/// <summary>
/// The journal holds data that breaks its own rules (a sequence gap, an unreadable row, a bad
/// checksum). Never silently skipped: the job and sequence are named so an operator can look.
/// </summary>
public sealed class JobJournalCorruptionException : JobManagementException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="jobId">The stream at fault.</param>
    /// <param name="sequence">The sequence at fault, if known.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public JobJournalCorruptionException(JobId jobId, long? sequence, string problem, Exception? innerException = null)
        : base(string.Create(CultureInfo.InvariantCulture, $"Journal corruption in stream '{jobId}'{(sequence is { } s ? $" at sequence {s}" : string.Empty)}: {problem}"), innerException)
    {
        JobId = jobId;
        Sequence = sequence;
    }

    /// <summary>Gets the stream at fault.</summary>
    public JobId JobId { get; }

    /// <summary>Gets the sequence at fault, if known.</summary>
    public long? Sequence { get; }
}
