namespace JobManagement.PostgreSql;

/// <summary>One caller's append request, waiting in the writer's queue for its outcome.</summary>
internal sealed class PendingAppend(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken)
{
    public JobId JobId { get; } = jobId;

    public ExpectedStreamVersion ExpectedVersion { get; } = expectedVersion;

    public IReadOnlyList<NewJobEvent> Events { get; } = events;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
