using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobManagement;

/// <summary>
/// The semantic boundary: the only component that interprets events for jobs. It validates what
/// callers send, decides which jobs an event concerns, appends idempotent entries to the
/// <see cref="IJobEventJournal"/>, and serves each job's <see cref="JobState"/> as derived by
/// <see cref="JobStateProjector"/>.
/// </summary>
/// <remarks>
/// Thread-safe: concurrent calls for the same job are serialised per job, and the journal's
/// expected-version check keeps writers in other processes honest. Every timestamp the engine
/// writes comes from its <see cref="TimeProvider"/>. Register it with <c>services.AddJobEngine()</c>.
/// </remarks>
public sealed partial class JobEngine : IDisposable
{
    private readonly IJobEventJournal _journal;
    private readonly JobPlanCatalog _plans;
    private readonly JobEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly IdSource _ids;
    private readonly ILogger _logger;
    private readonly JobStreams _streams;
    private readonly EventRouter _router;
    private readonly JobEngineTelemetry _telemetry;

    // Taken before a job's stream lock, never while holding one, so the two cannot deadlock.
    private readonly JobStreamGate _requests = new(256);

    // Keyed by job type and dedupe key: taken after a request's gate and before a job's stream lock.
    private readonly JobStreamGate _dedupe = new(256);

    // Children's ends, heard under the child's gate and appended to the parent after it is released.
    private readonly ChildCompletionQueue _childCompletions = new();

    /// <summary>Initializes a new engine.</summary>
    /// <param name="journal">The journal.</param>
    /// <param name="plans">The registered plans.</param>
    /// <param name="options">The engine's options.</param>
    /// <param name="timeProvider">The clock for every timestamp the engine writes.</param>
    /// <param name="logger">The logger, or null for none.</param>
    /// <param name="meterFactory">Creates the engine's <see cref="Meter"/> (see <see cref="JobManagementDiagnostics"/>); a standalone meter when null.</param>
    public JobEngine(IJobEventJournal journal, JobPlanCatalog plans, IOptions<JobEngineOptions> options, TimeProvider timeProvider, ILogger<JobEngine>? logger = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _journal = journal;
        _plans = plans;
        _options = options.Value;
        _time = timeProvider;
        _ids = new IdSource(timeProvider);
        _logger = logger ?? NullLogger<JobEngine>.Instance;
        _streams = new JobStreams(journal, plans, _options, _logger, new JobChangeFeed());
        _streams.Changes.AddListener(_childCompletions);
        _router = new EventRouter(journal, plans);
        _telemetry = new JobEngineTelemetry(meterFactory);
        if (journal is InMemoryJobEventJournal)
        {
            Log.InMemoryJournalInUse(_logger);
        }
    }

    /// <summary>Gets the registered plans.</summary>
    public JobPlanCatalog Plans => _plans;

    /// <summary>
    /// Creates a job (and starts it unless <see cref="CreateJobRequest.Start"/> is false). Events
    /// recorded before it existed that match its plan and correlation, or that were addressed to
    /// its id, are adopted into its stream and count. Idempotent on <see cref="CreateJobRequest.RequestId"/>, also
    /// across engines (nodes) sharing the journal: a request creates at most one job, and a retry returns it.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job's id and state, and whether the request was a duplicate.</returns>
    /// <exception cref="JobTypeNotRegisteredException">No plan is registered for the job type.</exception>
    /// <exception cref="InvalidJobRequestException">A field of the request is invalid (it is named; <c>RequestId</c> when another kind of entry already carries that id); nothing was appended.</exception>
    /// <exception cref="JobAlreadyExistsException">The requested job id belongs to a job created by another request.</exception>
    public async ValueTask<JobCreationResult> CreateJobAsync(CreateJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.JobType.IsDefault)
        {
            throw new InvalidJobRequestException(nameof(request), nameof(CreateJobRequest.JobType), "JobType is required.");
        }

        JobPlan plan = _plans.Get(request.JobType);
        InputValidator.Check(request, plan, _options);
        await CheckParentAsync(request, nameof(request), cancellationToken).ConfigureAwait(false);

        using Activity? activity = JobEngineTelemetry.StartCreate(request);
        try
        {
            JobCreationResult result = await CreateCheckedAsync(request, plan, cancellationToken).ConfigureAwait(false);
            _telemetry.RecordCreated(activity, result);
            await NotifyParentsAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            JobEngineTelemetry.RecordError(activity, exception);
            throw;
        }
    }

    /// <summary>Creates a validated request's job (or finds it), and records it in its parent's stream.</summary>
    private async ValueTask<JobCreationResult> CreateCheckedAsync(CreateJobRequest request, JobPlan plan, CancellationToken cancellationToken)
    {
        JobCreationResult result;

        // Two concurrent retries of one request must not create two jobs (their generated ids differ).
        using (await _requests.EnterAsync(request.RequestId.Value, cancellationToken).ConfigureAwait(false))
        {
            // No lookup of the request id first: the journal refuses a job.created whose id is used in another
            // stream, and CreateNewJobAsync answers that refusal. A dedupe key still needs the lookup: its retry
            // must find the job it created (a duplicate), not the live job of its key (a deduplication).
            result = request.DedupeKey is null
                ? await CreateNewJobAsync(request, plan, cancellationToken).ConfigureAwait(false)
                : await FindCreatedByAsync(request.RequestId, cancellationToken).ConfigureAwait(false)
                    ?? await CreateDedupedAsync(request, plan, cancellationToken).ConfigureAwait(false);
        }

        // Also for a duplicate: a retry repairs a notification lost when the first call died after creating the child.
        if (result.ParentJobId is { } parent)
        {
            await RecordChildFactAsync(parent, ChildFacts.Created(result.JobId, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async ValueTask<JobCreationResult> CreateNewJobAsync(CreateJobRequest request, JobPlan plan, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        JobId jobId = request.JobId ?? _ids.NewJobId(now); // one clock reading for the id and the creation
        NewJobEvent created = EventContent.Execution(request.RequestId, ExecutionEventTypes.Created, now, JobCreatedFact.Attributes(plan, request.WithRunAtResolved(now)), request.Input?.Clone(), JobEngineTelemetry.Capture(request.Observability));
        NewJobEvent[] first = request.Start
            ? [created, EventContent.Execution(request.RequestId.Derive("start"), ExecutionEventTypes.Started, now, observability: created.Observability)]
            : [created];

        try
        {
            return await CreateInStreamAsync(request, plan, jobId, first, cancellationToken).ConfigureAwait(false);
        }
        catch (JobCreationConflictException conflict) when (conflict.EventId == request.RequestId)
        {
            // The request id is used in another stream. A job.created there means this call is a retry (from any
            // node): answer with that job. Read after the new id's gate is released.
            return conflict.IsAlreadyCreated
                ? await CreatedEarlierAsync(conflict.ExistingJobId, cancellationToken).ConfigureAwait(false)
                : throw RequestIdUsed(request.RequestId, conflict.ExistingEventType, conflict.ExistingJobId);
        }
        catch (JobAlreadyExistsException)
        {
            // Only a caller-chosen id gets here. Its stream exists, so the journal refused on the version (or found
            // the id in that stream) without looking elsewhere: this rare path looks the request id up itself.
            if (await FindCreatedByAsync(request.RequestId, cancellationToken).ConfigureAwait(false) is { } earlier)
            {
                return earlier;
            }

            throw;
        }
    }

    /// <summary>Appends a new job's first entries to its stream and adopts earlier events, or finds the job the stream already holds.</summary>
    private async ValueTask<JobCreationResult> CreateInStreamAsync(CreateJobRequest request, JobPlan plan, JobId jobId, NewJobEvent[] first, CancellationToken cancellationToken)
    {
        using (await _streams.LockAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            JobSlot slot;
            AppendResult created;
            try
            {
                (slot, created) = await _streams.CreateAsync(plan, jobId, first, cancellationToken).ConfigureAwait(false);
                if (created.AllDuplicates)
                {
                    return new JobCreationResult(jobId, isDuplicate: true, slot.State);
                }
            }
            catch (JobConcurrencyException)
            {
                JobEventLogEntry? existing = await _streams.ReadFirstAsync(jobId, cancellationToken).ConfigureAwait(false);
                if (existing is not null && existing.EventId == request.RequestId && existing.EventType == ExecutionEventTypes.Created)
                {
                    return new JobCreationResult(jobId, isDuplicate: true, (await _streams.GetCurrentLockedAsync(jobId, cancellationToken).ConfigureAwait(false))!);
                }

                if (existing is not null && IsSameDedupe(existing, plan.JobType, request.DedupeKey))
                {
                    // Another node created the job for the same key first: the journal arbitrated.
                    return new JobCreationResult(jobId, isDuplicate: false, (await _streams.GetCurrentLockedAsync(jobId, cancellationToken).ConfigureAwait(false))!, isDeduplicated: true);
                }

                throw new JobAlreadyExistsException(jobId, existing?.EventId ?? default);
            }

            LogTransitions(slot, 0);
            (slot, int adopted) = await AdoptAsync(slot, generatedId: request.JobId is null, cancellationToken).ConfigureAwait(false);
            _streams.CreationDone(slot);
            Log.JobCreated(_logger, jobId, plan.JobType, request.RequestId, adopted);

            // Nothing adopted: the state is the fold of the creation's own entries, made only if the caller reads it.
            return adopted == 0
                ? new JobCreationResult(jobId, plan, created, slot.ParentJobId)
                : new JobCreationResult(jobId, isDuplicate: false, slot.State);
        }
    }

    /// <summary>
    /// Ingests a domain event: routed to its <see cref="IncomingEvent.JobId"/>, or by correlation
    /// to every job whose plan expects it; recorded even when it reaches no job (a job created later
    /// adopts it). A redelivered event id appends nothing anywhere.
    /// </summary>
    /// <param name="incoming">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One outcome per job reached; a single <see cref="IngestStatus.Rejected"/> outcome naming the field for bad input.</returns>
    public async ValueTask<IngestResult> IngestAsync(IncomingEvent incoming, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (InputValidator.Check(incoming, _options) is { } problem)
        {
            Log.EventRejected(_logger, incoming.EventId, problem.Field, problem.Reason);
            IngestResult rejected = IngestResult.Rejected(incoming.EventId, incoming.JobId, problem.Field, problem.Reason);
            _telemetry.RecordIngest(null, rejected, _telemetry.StartIngestTiming(null));
            return rejected;
        }

        using Activity? activity = JobEngineTelemetry.StartIngest(incoming);
        long started = _telemetry.StartIngestTiming(activity);
        try
        {
            IngestResult result = await IngestCoreAsync(incoming, cancellationToken).ConfigureAwait(false);
            try
            {
                await NotifyParentsAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Last, because it ends the span (see RecordIngest); in a finally, so a cancelled parent notification still counts the events ingested.
                _telemetry.RecordIngest(activity, result, started);
            }

            return result;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            JobEngineTelemetry.RecordError(activity, exception);
            throw;
        }
    }

    /// <summary>Starts ("kicks") a created job: Created → Running. Events that arrived earlier count at once.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="requestId">The request's idempotency key; a new id when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the command did, and the job's state.</returns>
    /// <exception cref="JobNotFoundException">The job does not exist.</exception>
    public ValueTask<JobCommandResult> StartAsync(JobId jobId, EventId? requestId = null, CancellationToken cancellationToken = default) =>
        CommandAsync(jobId, requestId, ExecutionEventTypes.Started, EventAttributes.Empty, cancellationToken);

    /// <summary>
    /// Aborts a job with a reason. Takes effect at once: the job is Aborted (or Compensating, when
    /// its plan requires compensation). A terminal job records the request and stays as it is.
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="reason">Why; required, at most <see cref="JobEngineOptions.MaxReasonLength"/> characters.</param>
    /// <param name="requestId">The request's idempotency key; a new id when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the command did, and the job's state.</returns>
    /// <exception cref="JobNotFoundException">The job does not exist.</exception>
    public ValueTask<JobCommandResult> AbortAsync(JobId jobId, string reason, EventId? requestId = null, CancellationToken cancellationToken = default)
    {
        InputValidator.CheckReason(reason, nameof(reason), required: true, _options);
        return CommandAsync(jobId, requestId, ExecutionEventTypes.AbortRequested, EventAttributes.CreateTrusted([KeyValuePair.Create(ReservedAttributes.Reason, reason)]), cancellationToken);
    }

    /// <summary>
    /// Records the outcome of a compensating job's compensation: the job then ends in the
    /// terminal status of its cause (Failed or Aborted), with the outcome kept in its state.
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="outcome">Completed, or Failed (recovery required).</param>
    /// <param name="detail">An optional detail, at most <see cref="JobEngineOptions.MaxReasonLength"/> characters.</param>
    /// <param name="requestId">The request's idempotency key; a new id when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the command did (RecordedOnly when the job was not compensating), and the job's state.</returns>
    /// <exception cref="JobNotFoundException">The job does not exist.</exception>
    public ValueTask<JobCommandResult> RecordCompensationAsync(JobId jobId, CompensationOutcome outcome, string? detail = null, EventId? requestId = null, CancellationToken cancellationToken = default)
    {
        if (outcome is not (CompensationOutcome.Completed or CompensationOutcome.Failed))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Record Completed or Failed.");
        }

        InputValidator.CheckReason(detail, nameof(detail), required: false, _options);
        EventTypeId type = outcome == CompensationOutcome.Completed ? ExecutionEventTypes.CompensationCompleted : ExecutionEventTypes.CompensationFailed;
        EventAttributes attributes = detail is null ? EventAttributes.Empty : EventAttributes.CreateTrusted([KeyValuePair.Create(ReservedAttributes.Reason, detail)]);
        return CommandAsync(jobId, requestId, type, attributes, cancellationToken);
    }

    /// <summary>Gets a job's current state, checked against its stream's version; null when the job does not exist.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state, or null.</returns>
    public ValueTask<JobState?> GetStateAsync(JobId jobId, CancellationToken cancellationToken = default)
    {
        ThrowIfNotAJob(jobId);
        return _streams.GetCurrentAsync(jobId, cancellationToken);
    }

    /// <summary>Gets a page of a job's history: its journal entries in sequence order.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="fromSequence">The first sequence to return (1 for the beginning).</param>
    /// <param name="maxCount">The most entries to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries; empty when the job does not exist.</returns>
    public async ValueTask<IReadOnlyList<JobEventLogEntry>> GetHistoryAsync(JobId jobId, long fromSequence = 1, int maxCount = 1000, CancellationToken cancellationToken = default)
    {
        ThrowIfNotAJob(jobId);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromSequence, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        List<JobEventLogEntry> page = [];
        await foreach (JobEventLogEntry entry in _journal.ReadStreamAsync(jobId, fromSequence, cancellationToken).ConfigureAwait(false))
        {
            page.Add(entry);
            if (page.Count == maxCount)
            {
                break;
            }
        }

        return page;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _telemetry.Dispose();
    }

    private ValueTask<IngestResult> IngestCoreAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        // The usual case without an async state machine: a new event, routed by correlation, with
        // every step answering at once.
        ValueTask<IReadOnlyList<JobEventLogEntry>> finding = _journal.FindByEventIdAsync(incoming.EventId, cancellationToken);
        if (!finding.IsCompletedSuccessfully)
        {
            return IngestCoreSlowAsync(incoming, finding, cancellationToken);
        }

        IReadOnlyList<JobEventLogEntry> recorded = finding.Result;
        if (recorded.Count > 0 || incoming.JobId is not null)
        {
            return IngestCoreSlowAsync(incoming, new(recorded), cancellationToken);
        }

        ValueTask<ImmutableArray<JobIngestOutcome>> routing = IngestRoutedAsync(incoming, cancellationToken);
        return routing.IsCompletedSuccessfully
            ? new(new IngestResult(incoming.EventId, routing.Result))
            : ToResultAsync(incoming.EventId, routing);

        static async ValueTask<IngestResult> ToResultAsync(EventId eventId, ValueTask<ImmutableArray<JobIngestOutcome>> routing) =>
            new(eventId, await routing.ConfigureAwait(false));
    }

    private async ValueTask<IngestResult> IngestCoreSlowAsync(IncomingEvent incoming, ValueTask<IReadOnlyList<JobEventLogEntry>> finding, CancellationToken cancellationToken)
    {
        IReadOnlyList<JobEventLogEntry> recorded = await finding.ConfigureAwait(false);
        if (recorded.Count > 0)
        {
            return await DuplicateAsync(incoming, recorded, cancellationToken).ConfigureAwait(false);
        }

        ImmutableArray<JobIngestOutcome> outcomes = incoming.JobId is { } jobId
            ? await IngestAddressedAsync(incoming, jobId, cancellationToken).ConfigureAwait(false)
            : await IngestRoutedAsync(incoming, cancellationToken).ConfigureAwait(false);
        return new IngestResult(incoming.EventId, outcomes);
    }

    private static void ThrowIfNotAJob(JobId jobId)
    {
        if (jobId.IsDefault || jobId.IsReservedStream)
        {
            throw new ArgumentException("jobId must be a job's id (not default, not a reserved stream: the unrouted one, a batch's or a dedupe key's).", nameof(jobId));
        }
    }
}
