namespace JobManagement;

/// <summary>The worker's journal poll: what other processes appended, read by heads, and the jobs with handlers it touched.</summary>
internal sealed partial class JobWorker
{
    /// <summary>Reads what was appended since the last scan and refreshes the jobs with handlers it touched.</summary>
    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        try
        {
            Dictionary<JobId, long> touched = [];
            HashSet<JobId> parents = [];
            bool firstScan = !_scannedOnce;
            if (!firstScan && _engine.Journal is IJobEventHeadReader headReader)
            {
                await ScanHeadsAsync(headReader, touched, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ScanEntriesAsync(firstScan, touched, parents, cancellationToken).ConfigureAwait(false);
            }

            // A crash may have come between a child's end and its parent hearing of it.
            foreach (JobId parent in parents)
            {
                await _engine.SyncChildrenAsync(parent, cancellationToken).ConfigureAwait(false);
            }

            foreach ((JobId jobId, long sequence) in touched)
            {
                if (!firstScan && _engine.KnownStatus(jobId, sequence) is { } known)
                {
                    // Written (or caught up) in this process: the worker was told when it happened.
                    if (known.IsTerminal())
                    {
                        Untrack(jobId);
                    }

                    continue;
                }

                if (await _engine.GetRunFactsAsync(jobId, cancellationToken).ConfigureAwait(false) is { } job)
                {
                    Refresh(job, force: false);
                    if (job.Status.IsTerminal())
                    {
                        Untrack(jobId);
                    }
                }
            }

            _scannedOnce = true;
            _engine.JournalScannedThrough(_scannedTo); // the jobs finished here up to there need not be remembered for the next poll
            StatusScanned();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.WorkerScanFailed(_logger, _options.WorkerId, exception);
        }
    }

    /// <summary>Reads whole entries: at start, to find the children whose parents may have missed their end.</summary>
    private async Task ScanEntriesAsync(bool firstScan, Dictionary<JobId, long> touched, HashSet<JobId> parents, CancellationToken cancellationToken)
    {
        while (true)
        {
            IReadOnlyList<JobEventLogEntry> page = await _engine.Journal.ReadAllAsync(_scannedTo + 1, ScanPageSize, cancellationToken).ConfigureAwait(false);
            lock (_indexLock)
            {
                TrackEntries(page, firstScan, touched, parents);
            }

            if (page.Count < ScanPageSize)
            {
                return;
            }
        }
    }

    private void TrackEntries(IReadOnlyList<JobEventLogEntry> page, bool firstScan, Dictionary<JobId, long> touched, HashSet<JobId> parents)
    {
        foreach (JobEventLogEntry entry in page)
        {
            _scannedTo = entry.Position;
            if (entry.EventType == ExecutionEventTypes.Created)
            {
                if (firstScan && JobCreatedFact.ReadJobId(entry, ReservedAttributes.Parent) is { } parent)
                {
                    parents.Add(parent);
                }

                if (JobCreatedFact.TryRead(entry, out JobType type, out _))
                {
                    Track(entry.JobId, type, entry.Sequence, touched, skipFinishedHere: !firstScan);
                }
            }
            else if (_tracked.Contains(entry.JobId))
            {
                touched[entry.JobId] = entry.Sequence;
            }
        }
    }

    /// <summary>Reads entry heads only (no content decoded, no checksum): enough to know which jobs moved.</summary>
    private async Task ScanHeadsAsync(IJobEventHeadReader reader, Dictionary<JobId, long> touched, CancellationToken cancellationToken)
    {
        while (true)
        {
            IReadOnlyList<JobEventHead> page = await reader.ReadHeadsAsync(_scannedTo + 1, ScanPageSize, cancellationToken).ConfigureAwait(false);
            lock (_indexLock)
            {
                TrackHeads(page, touched);
            }

            if (page.Count < ScanPageSize)
            {
                return;
            }
        }
    }

    private void TrackHeads(IReadOnlyList<JobEventHead> page, Dictionary<JobId, long> touched)
    {
        foreach (JobEventHead head in page)
        {
            _scannedTo = head.Position;
            if (head.CreatedJobType is { } type)
            {
                Track(head.JobId, type, head.Sequence, touched, skipFinishedHere: true);
            }
            else if (_tracked.Contains(head.JobId))
            {
                touched[head.JobId] = head.Sequence;
            }
        }
    }

    private void Untrack(JobId jobId)
    {
        lock (_indexLock)
        {
            _tracked.Remove(jobId);
        }
    }

    /// <summary>
    /// Follows a job created in the journal when this worker runs its type. With <paramref name="skipFinishedHere"/>
    /// (every scan but the first), a job this process has already seen finish is not followed: nothing more can
    /// run for it, and on a busy node nearly every job a scan reads is one of those (following each cost a set
    /// entry, a map entry and a lock to forget it again).
    /// </summary>
    private void Track(JobId jobId, JobType type, long sequence, Dictionary<JobId, long> touched, bool skipFinishedHere)
    {
        if (skipFinishedHere && _engine.KnownStatus(jobId, sequence) is { } known && known.IsTerminal())
        {
            return;
        }

        if (_engine.Plans.TryGet(type, out JobPlan? plan) && Runs(plan))
        {
            _tracked.Add(jobId);
            touched[jobId] = sequence;
        }
    }
}
