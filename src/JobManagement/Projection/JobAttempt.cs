namespace JobManagement;

/// <summary>One attempt to run a job's handler, as its execution facts tell it.</summary>
/// <param name="Number">The attempt's number, from 1.</param>
/// <param name="Worker">The worker that claimed the job.</param>
/// <param name="StartedAt">When the attempt started (recorded).</param>
/// <param name="LeaseUntil">Until when the worker holds the job, if it said.</param>
/// <param name="Outcome">How the attempt ended, or <see cref="AttemptOutcome.Running"/>.</param>
/// <param name="EndedAt">When it ended, once it has.</param>
/// <param name="Failure">How it failed, when it did.</param>
public sealed record JobAttempt(int Number, string? Worker, DateTimeOffset StartedAt, DateTimeOffset? LeaseUntil, AttemptOutcome Outcome, DateTimeOffset? EndedAt, ExecutionFailure? Failure)
{
    /// <summary>Gets how long the attempt ran, once it has ended.</summary>
    public TimeSpan? Duration => EndedAt - StartedAt;
}

/// <summary>How an attempt ended.</summary>
public enum AttemptOutcome
{
    /// <summary>Still running (or its worker died and its lease has not been taken over yet).</summary>
    Running = 0,

    /// <summary>The handler succeeded.</summary>
    Succeeded = 1,

    /// <summary>The handler failed; see <see cref="JobAttempt.Failure"/>.</summary>
    Failed = 2,

    /// <summary>Interrupted by a shutdown or an expired lease; the job may run again.</summary>
    Interrupted = 3,
}

/// <summary>The last progress a job's handler reported.</summary>
/// <param name="Fraction">How much is done, from 0 to 1.</param>
/// <param name="Message">What it said, if anything.</param>
/// <param name="At">When it was recorded.</param>
/// <param name="EstimatedCompletionAt">When it would finish at the same pace since its attempt started; null until some progress is made.</param>
public sealed record JobProgress(double Fraction, string? Message, DateTimeOffset At, DateTimeOffset? EstimatedCompletionAt);
