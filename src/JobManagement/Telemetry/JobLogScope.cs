using System.Collections;

namespace JobManagement;

/// <summary>
/// The logging scope of one attempt (or compensation run): job id, job type and the attempt's number
/// as key/value pairs, so structured sinks record them as fields of every entry written inside it
/// (the handler's own included). Ids are validated and safe to print.
/// </summary>
internal sealed class JobLogScope(JobId jobId, JobType jobType, string numberKey, int number) : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The key of an attempt's number.</summary>
    public const string AttemptKey = "Attempt";

    /// <summary>The key of a compensation run's number.</summary>
    public const string CompensationRunKey = "CompensationRun";

    public int Count => 3;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("JobId", jobId.ToString()),
        1 => new("JobType", jobType.ToString()),
        2 => new(numberKey, number),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Returns <c>Job {id} ({type}) Attempt {n}</c>, for sinks that print scopes as text.</summary>
    public override string ToString() => $"Job {jobId} ({jobType}) {numberKey} {number}";
}
