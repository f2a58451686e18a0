namespace JobManagement;

/// <summary>
/// A journal that can say, without a lock or a query, how many <c>job.created</c> entries it holds.
/// The engine reads it before routing an event and again after appending it: when the count has
/// not moved, no job can have been created in between, so routing again (which is there to catch
/// such a job) can be skipped. Only a journal that sees every creation as it happens may implement
/// it: the in-memory journal (shared by engines in one process, never by processes).
/// </summary>
internal interface IJobCreationCounter
{
    /// <summary>Gets the number of <c>job.created</c> entries appended so far, or null when this journal cannot tell (a decorator over one that does not count).</summary>
    long? JobsCreated { get; }
}
