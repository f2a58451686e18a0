namespace JobManagement;

/// <summary>How many jobs <see cref="JobIndex"/> holds in each status.</summary>
/// <param name="Created">Created, not started.</param>
/// <param name="Running">Running.</param>
/// <param name="Compensating">Compensating.</param>
/// <param name="Succeeded">Succeeded.</param>
/// <param name="Failed">Failed.</param>
/// <param name="Aborted">Aborted.</param>
public sealed record JobStatusCounts(int Created, int Running, int Compensating, int Succeeded, int Failed, int Aborted)
{
    /// <summary>Gets the number of jobs in every status.</summary>
    public int Total => Created + Running + Compensating + Succeeded + Failed + Aborted;

    /// <summary>Gets how many jobs are in one status.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The count.</returns>
    public int Of(JobStatus status) => status switch
    {
        JobStatus.Created => Created,
        JobStatus.Running => Running,
        JobStatus.Compensating => Compensating,
        JobStatus.Succeeded => Succeeded,
        JobStatus.Failed => Failed,
        JobStatus.Aborted => Aborted,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a job status."),
    };

    /// <summary>Counts from an array indexed by status.</summary>
    internal static JobStatusCounts From(int[] byStatus) =>
        new(byStatus[(int)JobStatus.Created], byStatus[(int)JobStatus.Running], byStatus[(int)JobStatus.Compensating], byStatus[(int)JobStatus.Succeeded], byStatus[(int)JobStatus.Failed], byStatus[(int)JobStatus.Aborted]);
}
