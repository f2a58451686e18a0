namespace JobManagement;

/// <summary>The base of every exception this library throws for a condition of its own (not for bad arguments).</summary>
public abstract class JobManagementException : Exception
{
    /// <summary>Initializes a new instance with a message and an optional cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected JobManagementException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
