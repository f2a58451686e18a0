using System.Collections.Immutable;
using System.Text.Json;

namespace JobManagement;

/// <summary>
/// A job's state, derived from its journal stream by <see cref="JobStateProjector"/>; never
/// stored as truth. Answers what the job's status is and why (the transitions name their
/// causing entries), which expectations are satisfied and by which entries, how it failed or
/// why it was aborted. Timestamps come from entries, never from a clock.
/// </summary>
/// <remarks>Immutable and thread-safe. Equality is by value, including the lists.</remarks>
public sealed record JobState
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    /// <summary>Gets the job's id.</summary>
    public required JobId JobId { get; init; }

    /// <summary>Gets the job's type (the plan it follows).</summary>
    public required JobType JobType { get; init; }

    /// <summary>Gets the job's status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Gets the correlation values the job was created with.</summary>
    public required EventAttributes Correlation { get; init; }

    /// <summary>Gets the job's input, as given when it was created.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>Gets the job's priority (higher runs first among runnable jobs; default 0).</summary>
    public int Priority { get; init; }

    /// <summary>Gets the earliest time the job's handler may run, when its start was delayed.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>Gets the dead-lettered job this job replays, when it is a replay.</summary>
    public JobId? ReplayOf { get; init; }

    /// <summary>Gets the job's dedupe key, when it was created with one.</summary>
    public string? DedupeKey { get; init; }

    /// <summary>Gets the batch the job was submitted in, when it was.</summary>
    public BatchId? BatchId { get; init; }

    /// <summary>Gets the job's parent, when it is a child job.</summary>
    public JobId? ParentJobId { get; init; }

    /// <summary>
    /// Gets the job's children, in the order its stream recorded them, each with its terminal status once
    /// recorded (<c>job.child.completed</c>). Recorded while the job is not terminal; see docs/state-machine.md.
    /// </summary>
    public ImmutableArray<JobChild> Children { get; init; } = [];

    /// <summary>Gets the state of each of the plan's expectations, in plan order.</summary>
    public required ImmutableArray<ExpectationState> Expectations { get; init; }

    /// <summary>Gets why the job failed, when a failure was recorded.</summary>
    public JobFailure? Failure { get; init; }

    /// <summary>Gets the reason given when the job was aborted.</summary>
    public string? AbortReason { get; init; }

    /// <summary>Gets the attempts to run the job's handler, in order (empty for a job without a handler).</summary>
    public ImmutableArray<JobAttempt> Attempts { get; init; } = [];

    /// <summary>Gets when the next attempt may start, while the job waits for a retry (or may run again after an interruption).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Gets the handler's result (JSON), once an attempt has succeeded.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>Gets the last progress the handler reported.</summary>
    public JobProgress? Progress { get; init; }

    /// <summary>Gets a value indicating whether the job failed because its handler's retries were exhausted (it is dead-lettered: replay starts a new job).</summary>
    public bool IsDeadLettered { get; init; }

    /// <summary>Gets the compensation's state, when the plan requires compensation and it was triggered.</summary>
    public CompensationState? Compensation { get; init; }

    /// <summary>Gets when the job was created (recorded).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the job was started, if it was.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the job reached a terminal status, if it did.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets every status change, in order, each with the entry that caused it.</summary>
    public required ImmutableArray<JobTransition> Transitions { get; init; }

    /// <summary>Gets the sequence of the last entry applied: the stream version this state reflects.</summary>
    public required long Version { get; init; }

    /// <summary>Gets how many domain entries matched no expectation or failure rule.</summary>
    public int UnmatchedCount { get; init; }

    /// <summary>
    /// Gets how many entries were recorded but changed nothing: after the job became terminal, while it
    /// was compensating, or execution facts that did not apply (a second start, a compensation outcome
    /// with nothing to compensate, a fact this version does not know).
    /// </summary>
    public int RecordedOnlyCount { get; init; }

    /// <summary>Gets a value indicating whether the job is terminal.</summary>
    public bool IsTerminal => Status.IsTerminal();

    /// <summary>Gets a value indicating whether every expectation is satisfied.</summary>
    public bool AllExpectationsSatisfied => Expectations.All(static e => e.IsSatisfied);

    /// <summary>Reads the handler's result as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The result type the handler returned.</typeparam>
    /// <param name="options">The serializer options the worker wrote it with (default: <see cref="JsonSerializerDefaults.Web"/>, as the worker's default).</param>
    /// <returns>The result; default when there is none yet.</returns>
    /// <exception cref="JsonException">The stored result is not a <typeparamref name="T"/>.</exception>
    public T? GetResult<T>(JsonSerializerOptions? options = null) =>
        Result is { } result ? result.Deserialize<T>(options ?? WebJson) : default;

    /// <inheritdoc />
    public bool Equals(JobState? other) =>
        other is not null
        && JobId == other.JobId
        && JobType == other.JobType
        && Status == other.Status
        && Correlation.Equals(other.Correlation)
        && JsonEquals(Input, other.Input)
        && Priority == other.Priority
        && RunAt == other.RunAt
        && ReplayOf == other.ReplayOf
        && DedupeKey == other.DedupeKey
        && BatchId == other.BatchId
        && ParentJobId == other.ParentJobId
        && Children.SequenceEqual(other.Children)
        && Expectations.SequenceEqual(other.Expectations)
        && Equals(Failure, other.Failure)
        && AbortReason == other.AbortReason
        && Equals(Compensation, other.Compensation)
        && Attempts.SequenceEqual(other.Attempts)
        && NextAttemptAt == other.NextAttemptAt
        && JsonEquals(Result, other.Result)
        && Equals(Progress, other.Progress)
        && IsDeadLettered == other.IsDeadLettered
        && CreatedAt == other.CreatedAt
        && StartedAt == other.StartedAt
        && CompletedAt == other.CompletedAt
        && Transitions.SequenceEqual(other.Transitions)
        && Version == other.Version
        && UnmatchedCount == other.UnmatchedCount
        && RecordedOnlyCount == other.RecordedOnlyCount;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(JobId, Status, Version);

    private static bool JsonEquals(JsonElement? left, JsonElement? right) =>
        left is null ? right is null : right is not null && JsonElement.DeepEquals(left.Value, right.Value);
}
