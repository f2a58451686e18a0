using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace JobManagement;

/// <summary>
/// The fold behind <see cref="JobStateProjector"/>: mutable while folding so projecting a long
/// stream allocates little, and converted to an immutable <see cref="JobState"/> at the end.
/// The state machine lives here and only here (see docs/state-machine.md).
/// Copy-on-write from the state it continues: transitions and expectation states the applied
/// entries did not change are reused, not copied, because the engine folds once per event.
/// </summary>
internal sealed partial class JobStateBuilder
{
    private readonly JobPlan _plan;
    // Continuing a state, a slot stays null until an entry matches that expectation (see Progress).
    private readonly ExpectationProgress?[] _expectations;
    private readonly ImmutableArray<ExpectationState> _expectationsFrom;
    private readonly ImmutableArray<JobTransition> _transitionsFrom;
    private readonly ImmutableArray<JobAttempt> _attemptsFrom;
    // Transitions and attempts are kept as structs in place (see AttemptFacts), and made records only for a state.
    private TransitionFacts[]? _transitionsAdded;
    private int _transitionsAddedCount;
    private AttemptFacts[] _attempts;
    private int _attemptCount;
    private bool _attemptsChanged; // false while the attempts are still _attemptsFrom's, which a state then reuses
    private JobId _jobId;
    private EventAttributes _correlation = EventAttributes.Empty;
    private JsonElement? _input;
    private int _priority;
    private JobStatus _status;
    private JsonElement? _result;
    private DateTimeOffset _createdAt;
    private DateTimeOffset? _startedAt;
    private DateTimeOffset? _completedAt;
    private long _version;
    private long _lastPosition; // the journal position of the last entry folded (0 when continued from a state)
    private int _unmatched;
    private int _recordedOnly;

    private JobStateBuilder(JobPlan plan, ExpectationProgress?[] expectations, ImmutableArray<ExpectationState> expectationsFrom, ImmutableArray<JobTransition> transitionsFrom, ImmutableArray<JobAttempt> attemptsFrom)
    {
        _plan = plan;
        _expectations = expectations;
        _expectationsFrom = expectationsFrom;
        _transitionsFrom = transitionsFrom;
        _attemptsFrom = attemptsFrom;
        if (attemptsFrom.IsDefaultOrEmpty)
        {
            // Made by the first attempt's claim: a queued job's fold made at its creation is often let go before it runs
            // (behind a long queue, see JobStateCache), and its claim rebuilds the fold.
            _attempts = [];
        }
        else
        {
            _attempts = new AttemptFacts[attemptsFrom.Length];
            for (int i = 0; i < _attempts.Length; i++)
            {
                _attempts[i] = AttemptFacts.Of(attemptsFrom[i]);
            }

            _attemptCount = _attempts.Length;
        }
    }

    public JobId JobId => _jobId;

    public JobPlan Plan => _plan;

    public JobStatus Status => _status;

    public EventAttributes Correlation => _correlation;

    public JsonElement? Input => _input;

    public long Version => _version;

    /// <summary>Gets the journal position of the last entry this fold took in (0 for a fold continued from a state, which has no positions).</summary>
    public long LastPosition => _lastPosition;

    public DateTimeOffset CreatedAt => _createdAt;

    public int TransitionCount => _transitionsFrom.Length + _transitionsAddedCount;

    public TransitionFacts TransitionAt(int index) =>
        index < _transitionsFrom.Length ? TransitionFacts.Of(_transitionsFrom[index]) : _transitionsAdded![index - _transitionsFrom.Length];

    public static JobStateBuilder Create(JobPlan plan, JobEventLogEntry created)
    {
        ArgumentNullException.ThrowIfNull(created);
        if (created.Sequence != 1 || !JobCreatedFact.TryRead(created, out JobType jobType, out EventAttributes? correlation))
        {
            throw new JobJournalCorruptionException(created.JobId, created.Sequence, $"a job's stream must begin with a well-formed {ExecutionEventTypes.Created} entry at sequence 1; found {created.EventType}.");
        }

        if (jobType != plan.JobType)
        {
            throw new ArgumentException($"Job '{created.JobId}' is of type '{jobType}', but the plan given is for '{plan.JobType}'.", nameof(plan));
        }

        var builder = new JobStateBuilder(plan, NewProgress(plan), expectationsFrom: default, transitionsFrom: [], attemptsFrom: [])
        {
            // Room for a plain life's transitions (created, running, and how it ended), made with the fold.
            _transitionsAdded = new TransitionFacts[3],
            _jobId = created.JobId,
            _correlation = JobCreatedFact.CorrelationOf(correlation),
            _input = created.Payload,
            _priority = JobCreatedFact.ReadInt(created, ReservedAttributes.Priority),
            _rare = RareParts.Of(created),
            _status = JobStatus.Created,
            _createdAt = created.RecordedAt,
            _version = 1,
            _lastPosition = created.Position,
        };
        builder.AddTransition(new TransitionFacts(null, JobStatus.Created, EntryReference.Of(created), created.EventType, created.RecordedAt));
        return builder;
    }

    private static ExpectationProgress?[] NewProgress(JobPlan plan)
    {
        // A loop, not LINQ: every job is created through here, and a plan run only by its handler expects nothing.
        ImmutableArray<ExpectedEvent> expectations = plan.Expectations;
        if (expectations.IsEmpty)
        {
            return [];
        }

        var progress = new ExpectationProgress?[expectations.Length];
        for (int i = 0; i < progress.Length; i++)
        {
            progress[i] = new ExpectationProgress(expectations[i]);
        }

        return progress;
    }

    public static JobStateBuilder From(JobPlan plan, JobState state)
    {
        if (state.JobType != plan.JobType || state.Expectations.Length != plan.Expectations.Length)
        {
            throw new ArgumentException($"The state of job '{state.JobId}' ({state.JobType}) does not belong to the plan for '{plan.JobType}'.", nameof(plan));
        }

        return new JobStateBuilder(plan, new ExpectationProgress?[plan.Expectations.Length], state.Expectations, state.Transitions, state.Attempts)
        {
            _jobId = state.JobId,
            _correlation = state.Correlation,
            _input = state.Input,
            _priority = state.Priority,
            _rare = RareParts.Of(state),
            _status = state.Status,
            _result = state.Result,
            _createdAt = state.CreatedAt,
            _startedAt = state.StartedAt,
            _completedAt = state.CompletedAt,
            _version = state.Version,
            _unmatched = state.UnmatchedCount,
            _recordedOnly = state.RecordedOnlyCount,
        };
    }

    public EntryEffect Apply(JobEventLogEntry entry)
    {
        if (entry.Sequence <= _version)
        {
            return EntryEffect.AlreadyApplied;
        }

        if (entry.Sequence != _version + 1)
        {
            throw new JobJournalCorruptionException(_jobId, entry.Sequence, string.Create(CultureInfo.InvariantCulture, $"expected sequence {_version + 1} next; the stream has a gap."));
        }

        if (entry.JobId != _jobId)
        {
            throw new JobJournalCorruptionException(_jobId, entry.Sequence, $"the entry belongs to stream '{entry.JobId}'.");
        }

        _version = entry.Sequence;
        _lastPosition = entry.Position;
        if (_status.IsTerminal() || (_status == JobStatus.Compensating && !IsCompensationFact(entry)))
        {
            _recordedOnly++;
            return EntryEffect.RecordedOnly;
        }

        return entry.Lane == EventLane.Execution ? ApplyExecution(entry) : ApplyDomain(entry);
    }

    /// <summary>The worker's view of the job, read from the open fold without materialising a state.</summary>
    public JobRunFacts RunFacts() => new(
        _jobId,
        _plan.JobType,
        _status,
        _priority,
        _createdAt,
        _version,
        _result is not null || HandlerSucceeded,
        _attemptCount > 0 ? _attempts[_attemptCount - 1] : null,
        NextAttemptAt,
        _startedAt,
        RunAt,
        Compensation,
        TransitionAt(TransitionCount - 1).At);

    public JobState ToState() => new()
    {
        JobId = _jobId,
        JobType = _plan.JobType,
        Status = _status,
        Correlation = _correlation,
        Input = _input,
        Priority = _priority,
        RunAt = RunAt,
        ReplayOf = ReplayOf,
        DedupeKey = DedupeKey,
        BatchId = BatchId,
        ParentJobId = ParentJobId,
        Children = Children,
        Expectations = ExpectationStates(),
        Failure = Failure,
        AbortReason = AbortReason,
        Compensation = Compensation,
        Attempts = Attempts(),
        NextAttemptAt = NextAttemptAt,
        Result = _result,
        Progress = ReportedProgress,
        IsDeadLettered = DeadLettered,
        CreatedAt = _createdAt,
        StartedAt = _startedAt,
        CompletedAt = _completedAt,
        Transitions = Transitions(),
        Version = _version,
        UnmatchedCount = _unmatched,
        RecordedOnlyCount = _recordedOnly,
    };

    private ImmutableArray<JobTransition> Transitions()
    {
        if (_transitionsAddedCount == 0)
        {
            return _transitionsFrom;
        }

        var all = new JobTransition[_transitionsFrom.Length + _transitionsAddedCount];
        _transitionsFrom.CopyTo(all);
        for (int i = 0; i < _transitionsAddedCount; i++)
        {
            all[_transitionsFrom.Length + i] = _transitionsAdded![i].ToTransition();
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(all);
    }

    private ImmutableArray<JobAttempt> Attempts()
    {
        if (!_attemptsChanged)
        {
            return _attemptsFrom.IsDefault ? [] : _attemptsFrom;
        }

        var all = new JobAttempt[_attemptCount];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = _attempts[i].ToAttempt();
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(all);
    }

    private ImmutableArray<ExpectationState> ExpectationStates()
    {
        var states = new ExpectationState[_expectations.Length];
        bool unchanged = !_expectationsFrom.IsDefault;
        for (int i = 0; i < states.Length; i++)
        {
            states[i] = _expectations[i]?.ToState()
                ?? (ExpectationProgress.Describes(_plan.Expectations[i], _expectationsFrom[i]) ? _expectationsFrom[i] : Progress(i).ToState());
            unchanged = unchanged && ReferenceEquals(states[i], _expectationsFrom[i]);
        }

        return unchanged ? _expectationsFrom : ImmutableCollectionsMarshal.AsImmutableArray(states);
    }

    /// <summary>The progress of expectation <paramref name="index"/>, created from the earlier state when first needed.</summary>
    private ExpectationProgress Progress(int index) =>
        _expectations[index] ??= new ExpectationProgress(_plan.Expectations[index], _expectationsFrom[index]);

    private bool IsSatisfied(int index) =>
        _expectations[index]?.IsSatisfied ?? _expectationsFrom[index].Count >= _plan.Expectations[index].Multiplicity.Required;

    private void AddTransition(in TransitionFacts transition)
    {
        if (_transitionsAdded is null || _transitionsAddedCount == _transitionsAdded.Length)
        {
            Array.Resize(ref _transitionsAdded, Math.Max(2, 2 * _transitionsAddedCount));
        }

        _transitionsAdded[_transitionsAddedCount++] = transition;
    }

    private static bool IsCompensationOutcome(JobEventLogEntry entry) =>
        entry.Lane == EventLane.Execution
        && (entry.EventType == ExecutionEventTypes.CompensationCompleted || entry.EventType == ExecutionEventTypes.CompensationFailed);

    private EntryEffect ApplyExecution(JobEventLogEntry entry)
    {
        EventTypeId type = entry.EventType;
        if (type == ExecutionEventTypes.Started)
        {
            if (_status != JobStatus.Created)
            {
                _recordedOnly++;
                return EntryEffect.RecordedOnly;
            }

            _startedAt = entry.RecordedAt;
            MoveTo(JobStatus.Running, entry);
            CompleteIfSatisfied(entry);
            return EntryEffect.Applied;
        }

        if (type == ExecutionEventTypes.AbortRequested)
        {
            Rare.AbortReason = entry.Attributes.TryGetValue(ReservedAttributes.Reason, out string? reason) ? reason : null;
            EndOrCompensate(JobStatus.Aborted, entry);
            return EntryEffect.Applied;
        }

        if (type == ExecutionEventTypes.DeadlineExpired)
        {
            Fail(new JobFailure("the job's deadline expired", null, EntryReference.Of(entry), type), entry);
            return EntryEffect.Applied;
        }

        if (IsCompensationOutcome(entry))
        {
            return CompleteCompensation(entry);
        }

        if (TryApplyCompensationRun(entry) is { } runEffect)
        {
            return runEffect;
        }

        if (TryApplyAttemptFact(entry) is { } attemptEffect)
        {
            return attemptEffect;
        }

        if (TryApplyChildFact(entry) is { } childEffect)
        {
            return childEffect;
        }

        // A fact this version does not interpret (a newer engine's, or job.created repeated): kept, changes nothing.
        _recordedOnly++;
        return EntryEffect.RecordedOnly;
    }

    private EntryEffect ApplyDomain(JobEventLogEntry entry)
    {
        if (!_plan.IsRelevant(entry.EventType))
        {
            _unmatched++;
            return EntryEffect.Unmatched;
        }

        // Failure beats success: an event matching a failure rule fails the job even if it also matches an expectation.
        foreach (FailureRule rule in _plan.FailOn)
        {
            if (rule.Matcher.Matches(entry, _correlation))
            {
                Fail(new JobFailure($"failure rule '{rule.Name}' matched {entry.EventType}", rule.Name, EntryReference.Of(entry), entry.EventType), entry);
                return EntryEffect.Applied;
            }
        }

        bool matched = false;
        for (int i = 0; i < _expectations.Length; i++)
        {
            if (_plan.Expectations[i].Matcher.Matches(entry, _correlation))
            {
                Progress(i).Count1(entry);
                matched = true;
            }
        }

        if (!matched)
        {
            _unmatched++;
            return EntryEffect.Unmatched;
        }

        if (_status == JobStatus.Running)
        {
            CompleteIfSatisfied(entry);
        }

        return EntryEffect.Applied;
    }

    private void CompleteIfSatisfied(JobEventLogEntry entry)
    {
        // A plan with a handler needs its success too ("run a command, then wait for the webhook");
        // a plan without one and without expectations completes only through its children (or never:
        // such a plan cannot be registered unless it waits for children).
        if (_plan.RunsHandler ? !HandlerSucceeded : _expectations.Length == 0 && !(_plan.WaitsForChildren && Children.Length > 0))
        {
            return;
        }

        if (!ChildrenAllowSuccess())
        {
            return;
        }

        for (int i = 0; i < _expectations.Length; i++)
        {
            if (!IsSatisfied(i))
            {
                return;
            }
        }

        MoveTo(JobStatus.Succeeded, entry);
    }

    private void Fail(JobFailure failure, JobEventLogEntry entry)
    {
        Rare.Failure = failure;
        EndOrCompensate(JobStatus.Failed, entry);
    }

    private void EndOrCompensate(JobStatus cause, JobEventLogEntry entry)
    {
        if (_plan.Compensation is { } policy)
        {
            Rare.Compensation = new CompensationState(policy.Name, cause, CompensationOutcome.Pending, null, null);
            MoveTo(JobStatus.Compensating, entry);
        }
        else
        {
            MoveTo(cause, entry);
        }
    }

    private EntryEffect CompleteCompensation(JobEventLogEntry entry)
    {
        if (_status != JobStatus.Compensating || Compensation is null)
        {
            _recordedOnly++;
            return EntryEffect.RecordedOnly;
        }

        if (entry.Attributes.ContainsKey(ReservedAttributes.Attempt) && ExecutionFacts.ReadAttempt(entry) != Compensation.Runs)
        {
            // The outcome of a run that was taken over by another worker: kept, changes nothing.
            _recordedOnly++;
            return EntryEffect.RecordedOnly;
        }

        CompensationOutcome outcome = entry.EventType == ExecutionEventTypes.CompensationCompleted ? CompensationOutcome.Completed : CompensationOutcome.Failed;
        string? detail = entry.Attributes.TryGetValue(ReservedAttributes.Reason, out string? reason) ? reason : null;
        Rare.Compensation = Compensation with { Outcome = outcome, Detail = detail, CausedBy = EntryReference.Of(entry) };
        MoveTo(Compensation.Cause, entry);
        return EntryEffect.Applied;
    }

    private void MoveTo(JobStatus status, JobEventLogEntry entry)
    {
        if ((status.IsTerminal() || status == JobStatus.Compensating) && RunningAttempt() is { } running && entry.EventType != ExecutionEventTypes.AttemptFailed)
        {
            // The job ended for another reason (abort, failure rule, deadline): its running handler is
            // cancelled, and whatever it reports later is record-only.
            SetAttempt(running with { Outcome = AttemptOutcome.Interrupted, EndedAt = entry.RecordedAt });
        }

        AddTransition(new TransitionFacts(_status, status, EntryReference.Of(entry), entry.EventType, entry.RecordedAt));
        _status = status;
        if (status.IsTerminal())
        {
            _completedAt = entry.RecordedAt;
        }
    }
}
