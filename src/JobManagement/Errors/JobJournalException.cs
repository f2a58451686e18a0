namespace JobManagement;

/// <summary>
/// The journal's storage failed (a database error, a lost connection). The provider's exception is
/// kept as <see cref="Exception.InnerException"/>. Whether the operation took effect is unknown:
/// retry it — appends are idempotent by event id.
/// </summary>
public sealed class JobJournalException : JobManagementException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The provider's exception.</param>
    public JobJournalException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
