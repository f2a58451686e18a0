namespace JobManagement;

/// <summary>
/// A database cannot be used as a journal: it is not a JobManagement journal, or its schema is
/// newer than this version of the library understands (never silently downgraded).
/// </summary>
public sealed class JobJournalSchemaException : JobManagementException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public JobJournalSchemaException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
