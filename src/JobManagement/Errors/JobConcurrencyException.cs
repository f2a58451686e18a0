using System.Globalization;

namespace JobManagement;

/// <summary>A stream was not at the version the writer expected: someone else appended first. Nothing was appended.</summary>
public sealed class JobConcurrencyException : JobManagementException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="jobId">The stream.</param>
    /// <param name="expectedVersion">The version the writer expected.</param>
    /// <param name="actualVersion">The version the stream was at.</param>
    public JobConcurrencyException(JobId jobId, ExpectedStreamVersion expectedVersion, long actualVersion)
        : base(string.Create(CultureInfo.InvariantCulture, $"Stream '{jobId}' is at version {actualVersion}, not the expected {expectedVersion}; nothing was appended."))
    {
        JobId = jobId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Gets the stream.</summary>
    public JobId JobId { get; }

    /// <summary>Gets the version the writer expected.</summary>
    public ExpectedStreamVersion ExpectedVersion { get; }

    /// <summary>Gets the version the stream was at.</summary>
    public long ActualVersion { get; }
}
