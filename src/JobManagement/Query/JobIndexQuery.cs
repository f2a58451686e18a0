namespace JobManagement;

/// <summary>
/// What to list from <see cref="JobIndex"/>: filters (all optional, all must hold) and a page.
/// Jobs come newest first (in the order their <c>job.created</c> entries were appended, reversed).
/// </summary>
public sealed record JobIndexQuery
{
    /// <summary>The default page size: 50.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Gets the job type to list; null for every type.</summary>
    public JobType? JobType { get; init; }

    /// <summary>Gets the status to list; null for every status.</summary>
    public JobStatus? Status { get; init; }

    /// <summary>Gets the batch whose jobs to list; null for jobs in any batch or none.</summary>
    public BatchId? BatchId { get; init; }

    /// <summary>Gets the earliest creation time to list (inclusive); null for no lower bound.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Gets the creation time before which to list (exclusive); null for no upper bound.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Gets the cursor of the page to read: <see cref="JobPage.NextCursor"/> of the previous page, or null for the first page.</summary>
    public string? Cursor { get; init; }

    /// <summary>Gets the most jobs to return: 1 to <see cref="JobIndex.MaxPageSize"/>. Default <see cref="DefaultLimit"/>.</summary>
    public int Limit { get; init; } = DefaultLimit;
}
