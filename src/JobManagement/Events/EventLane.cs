namespace JobManagement;

/// <summary>Which lane a journal entry travelled: who may write it, and what it means.</summary>
public enum EventLane
{
    /// <summary>A domain fact from the application (<c>payment.captured</c>). Never in the <c>job.</c> namespace.</summary>
    Domain = 0,

    /// <summary>An execution fact written only by the engine (<c>job.created</c>, <c>job.abort-requested</c>, …).</summary>
    Execution = 1,
}
