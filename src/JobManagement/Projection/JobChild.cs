namespace JobManagement;

/// <summary>One child of a job, as its parent's stream records it.</summary>
/// <param name="ChildJobId">The child's id.</param>
/// <param name="Status">The child's terminal status once its parent recorded <c>job.child.completed</c>; null while it runs (as far as the parent knows).</param>
public sealed record JobChild(JobId ChildJobId, JobStatus? Status)
{
    /// <summary>Gets a value indicating whether the parent has recorded the child's end.</summary>
    public bool IsCompleted => Status is not null;
}
