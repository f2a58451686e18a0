using System.Collections.Immutable;

namespace JobManagement;

/// <summary>
/// Batches: several jobs submitted at once. One entry in the batch's own stream is the commit point;
/// the jobs are created from it, idempotently, by the submission or by any later reader.
/// </summary>
public sealed partial class JobEngine
{
    /// <summary>
    /// Submits several jobs as one batch, atomically: every request is validated first (nothing is appended
    /// anywhere when one is invalid), then one <c>job.batch.submitted</c> entry holding all of them is appended
    /// to the batch's stream — the commit point — and the jobs are created from it, each carrying the batch id
    /// (<see cref="JobState.BatchId"/>). Idempotent on <paramref name="requestId"/>: the batch id is derived from it,
    /// a retry (on any node) completes and returns the same batch, and the first submission's requests win.
    /// </summary>
    /// <remarks>
    /// <para>If the process dies after the commit point, the jobs not created yet are created by the next
    /// <see cref="GetBatchAsync"/> or retry of this call. Each job's creating request id is derived from
    /// <paramref name="requestId"/> and its index, so creating them again never makes a job twice; the
    /// <see cref="CreateJobRequest.RequestId"/> of each request is therefore not used.</para>
    /// <para>Dedupe keys are not accepted in a batch. A caller-chosen job id must not exist yet; one taken by
    /// another request between the check and the job's creation makes this call (and <see cref="GetBatchAsync"/>)
    /// throw <see cref="JobAlreadyExistsException"/> for it.</para>
    /// </remarks>
    /// <param name="jobs">The requests: at least one, at most <see cref="JobEngineOptions.MaxBatchSize"/>.</param>
    /// <param name="requestId">The submission's idempotency key.</param>
    /// <param name="cancellationToken">Cancels the call (a committed batch is completed later).</param>
    /// <returns>The batch's state.</returns>
    /// <exception cref="InvalidJobRequestException">A request has a bad field; its path names the index, such as <c>jobs[3].Correlation</c>. Nothing was appended.</exception>
    public async ValueTask<BatchState> SubmitBatchAsync(IReadOnlyList<CreateJobRequest> jobs, EventId requestId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (requestId.IsDefault)
        {
            throw new ArgumentException("requestId is required (default(EventId) is not valid).", nameof(requestId));
        }

        if (jobs.Count == 0 || jobs.Count > _options.MaxBatchSize)
        {
            throw new ArgumentException($"A batch has 1 to {_options.MaxBatchSize} jobs (was {jobs.Count}).", nameof(jobs));
        }

        BatchId batchId = BatchId.For(requestId);
        using (await _requests.EnterAsync(requestId.Value, cancellationToken).ConfigureAwait(false))
        {
            await CommitBatchAsync(jobs, requestId, batchId, cancellationToken).ConfigureAwait(false);
        }

        // The request's gate is released first: creating the jobs takes their own request gates.
        return (await CompleteBatchAsync(batchId, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Gets a batch's state, derived from its jobs. First creates any of its jobs not created yet (the
    /// submission may have died after its commit point) and records in parents' streams the ends of batch
    /// jobs that have parents, so the answer is complete.
    /// </summary>
    /// <param name="batchId">The batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The batch's state, or null when no batch has this id.</returns>
    public ValueTask<BatchState?> GetBatchAsync(BatchId batchId, CancellationToken cancellationToken = default)
    {
        if (batchId.IsDefault)
        {
            throw new ArgumentException("batchId must not be default.", nameof(batchId));
        }

        return CompleteBatchAsync(batchId, cancellationToken);
    }

    /// <summary>Validates every request and appends the batch's entry, unless this request id already did. Caller holds the request's gate.</summary>
    private async ValueTask CommitBatchAsync(IReadOnlyList<CreateJobRequest> jobs, EventId requestId, BatchId batchId, CancellationToken cancellationToken)
    {
        JobId stream = JobId.ForBatch(batchId);
        IReadOnlyList<JobEventLogEntry> recorded = await _journal.FindByEventIdAsync(requestId, cancellationToken).ConfigureAwait(false);
        if (recorded.Count > 0)
        {
            if (recorded[0].JobId != stream || recorded[0].EventType != ExecutionEventTypes.BatchSubmitted)
            {
                throw new ArgumentException($"requestId '{requestId}' was already used by a {recorded[0].EventType} entry of stream '{recorded[0].JobId}'.", nameof(requestId));
            }

            return;
        }

        ImmutableArray<RecordedJobRequest> items = await ValidateBatchAsync(jobs, cancellationToken).ConfigureAwait(false);
        NewJobEvent entry = EventContent.Execution(
            requestId,
            ExecutionEventTypes.BatchSubmitted,
            _time.GetUtcNow(),
            EventAttributes.CreateTrusted([KeyValuePair.Create(ReservedAttributes.Batch, batchId.Value)]),
            new BatchSubmission(items).ToPayload(),
            JobEngineTelemetry.Capture(EventObservability.None));
        try
        {
            await _journal.AppendAsync(stream, ExpectedStreamVersion.NoStream, entry, cancellationToken).ConfigureAwait(false);
        }
        catch (JobConcurrencyException)
        {
            // Another node committed this batch first (the batch id is derived from the request id): its requests win.
        }
    }

    private async ValueTask<ImmutableArray<RecordedJobRequest>> ValidateBatchAsync(IReadOnlyList<CreateJobRequest> jobs, CancellationToken cancellationToken)
    {
        var items = ImmutableArray.CreateBuilder<RecordedJobRequest>(jobs.Count);
        HashSet<JobId> ids = [];
        for (int i = 0; i < jobs.Count; i++)
        {
            string parameter = $"jobs[{i}]";
            CreateJobRequest request = jobs[i] ?? throw new ArgumentException($"{parameter} is null.", parameter);
            if (request.JobType.IsDefault || !_plans.TryGet(request.JobType, out JobPlan? plan))
            {
                throw new InvalidJobRequestException(parameter, nameof(CreateJobRequest.JobType), request.JobType.IsDefault ? "JobType is required." : $"No plan is registered for job type '{request.JobType}'.");
            }

            InputValidator.Check(request, plan, _options, parameter);
            if (request.DedupeKey is not null)
            {
                throw new InvalidJobRequestException(parameter, nameof(CreateJobRequest.DedupeKey), "DedupeKey is not accepted in a batch: a batch's jobs are always created.");
            }

            JobId jobId = request.JobId ?? _ids.NewJobId();
            if (!ids.Add(jobId))
            {
                throw new InvalidJobRequestException(parameter, nameof(CreateJobRequest.JobId), $"JobId '{jobId}' appears more than once in the batch.");
            }

            if (request.JobId is not null && await _journal.GetStreamVersionAsync(jobId, cancellationToken).ConfigureAwait(false) > 0)
            {
                throw new InvalidJobRequestException(parameter, nameof(CreateJobRequest.JobId), $"JobId '{jobId}' belongs to an existing job.");
            }

            await CheckParentAsync(request, parameter, cancellationToken).ConfigureAwait(false);
            items.Add(RecordedJobRequest.From(request.WithRunAtResolved(_time.GetUtcNow()), jobId));
        }

        return items.MoveToImmutable();
    }

    /// <summary>Creates whatever jobs of the batch do not exist yet, and derives its state; null when the batch does not exist.</summary>
    private async ValueTask<BatchState?> CompleteBatchAsync(BatchId batchId, CancellationToken cancellationToken)
    {
        JobEventLogEntry? committed = await _streams.ReadFirstAsync(JobId.ForBatch(batchId), cancellationToken).ConfigureAwait(false);
        if (committed is null)
        {
            return null;
        }

        BatchSubmission submission = BatchSubmission.Read(committed);
        var created = new JobCreationResult[submission.Jobs.Length];
        for (int i = 0; i < created.Length; i++)
        {
            CreateJobRequest request = submission.Jobs[i].ToRequest(BatchSubmission.ItemRequestId(committed.EventId, i)) with { Batch = batchId };
            created[i] = await CreateCheckedAsync(request, _plans.Get(request.JobType), cancellationToken).ConfigureAwait(false);
            _telemetry.RecordCreated(null, created[i]);
            if (created[i].State is { IsTerminal: true, ParentJobId: { } parent } child)
            {
                // Cheap repair of a lost notification: the child's state is at hand.
                await RecordChildFactAsync(parent, ChildFacts.Completed(child.JobId, child.Status, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            }
        }

        await NotifyParentsAsync(cancellationToken).ConfigureAwait(false);
        return BatchState.From(batchId, committed.RecordedAt, [.. created.Select(static c => c.State)]);
    }
}
