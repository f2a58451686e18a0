using System.Collections.Immutable;
using System.Globalization;

namespace JobManagement;

/// <summary>
/// A derived, rebuildable list of every job, for listing, filtering, paging and counting (the web
/// endpoints and the dashboard use it). Never a second source of truth: it is built by reading the
/// journal from position 1 through <see cref="IJobEventJournal.ReadAllAsync"/>, and each job's status
/// comes from <see cref="JobEngine.GetStateAsync"/> — the projector's answer — so it works the same
/// over every journal. Register it with <c>services.AddJobIndex()</c>.
/// </summary>
/// <remarks>
/// <para><b>Freshness.</b> Every query first reads what the journal appended since the last one and
/// refreshes the jobs those entries touched, so a query sees every write that finished before it
/// began, in this process or another sharing the journal.</para>
/// <para><b>Cost.</b> One row per job, about 250 bytes (a million jobs: about 250 MB). The first query
/// (or the start-up warm-up) reads the whole journal once and rebuilds the state of every job that is
/// not terminal; later queries read only new entries and refresh only the jobs they touched — a terminal
/// job is never read again. Filtering scans the rows, newest first: fine for operations and dashboards,
/// not for a hot path. Thread-safe.</para>
/// </remarks>
public sealed class JobIndex : IDisposable
{
    /// <summary>The most jobs one page may hold: 500.</summary>
    public const int MaxPageSize = 500;

    private const int ReadPageSize = 1000;

    private readonly IJobEventJournal _journal;
    private readonly JobEngine _engine;
    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private readonly Lock _lock = new();
    private readonly List<JobIndexRow> _rows = [];
    private readonly Dictionary<JobId, JobIndexRow> _byId = [];
    private readonly int[] _counts = new int[(int)JobStatus.Aborted + 1];
    private readonly Dictionary<JobType, int[]> _countsByType = [];

    // Rows touched by entries already read but not refreshed yet; kept across calls so a cancelled or failed refresh is retried.
    private readonly HashSet<JobIndexRow> _stale = [];
    private long _position;

    /// <summary>Initializes a new, empty index; it fills on its first query.</summary>
    /// <param name="journal">The journal to read.</param>
    /// <param name="engine">The engine whose states give each job's status.</param>
    public JobIndex(IJobEventJournal journal, JobEngine engine)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(engine);
        _journal = journal;
        _engine = engine;
    }

    /// <summary>Gets the position of the last journal entry the index has read (0 before the first read).</summary>
    public long Position => Volatile.Read(ref _position);

    /// <summary>Reads what the journal appended since the last read and refreshes the jobs it touched. Queries call it first.</summary>
    /// <param name="cancellationToken">Stops the read; what was read stays applied.</param>
    /// <returns>A task that completes when the index is current.</returns>
    public async ValueTask CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await _catchUp.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                IReadOnlyList<JobEventLogEntry> page = await _journal.ReadAllAsync(_position + 1, ReadPageSize, cancellationToken).ConfigureAwait(false);
                foreach (JobEventLogEntry entry in page)
                {
                    if (Track(entry) is { IsTerminal: false } row)
                    {
                        _stale.Add(row);
                    }

                    Volatile.Write(ref _position, entry.Position);
                }

                if (page.Count < ReadPageSize)
                {
                    break;
                }
            }

            foreach (JobIndexRow row in _stale.ToList())
            {
                await RefreshAsync(row, cancellationToken).ConfigureAwait(false);
                _stale.Remove(row);
            }
        }
        finally
        {
            _catchUp.Release();
        }
    }

    /// <summary>Lists a page of jobs matching the query, newest first.</summary>
    /// <param name="query">The filters and the page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, and the cursor of the next one.</returns>
    /// <exception cref="InvalidJobRequestException">The cursor is not one this index gave, or the limit is out of range (the field is named).</exception>
    public async ValueTask<JobPage> QueryAsync(JobIndexQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > MaxPageSize)
        {
            throw new InvalidJobRequestException(nameof(query), nameof(JobIndexQuery.Limit), $"Limit must be from 1 to {MaxPageSize}.");
        }

        long before = query.Cursor is null ? long.MaxValue : ParseCursor(query.Cursor);
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);

        ImmutableArray<JobSummary>.Builder found = ImmutableArray.CreateBuilder<JobSummary>(Math.Min(query.Limit, 64));
        long lastPosition = 0;
        bool more = false;
        lock (_lock)
        {
            for (int i = FirstBelow(before); i >= 0; i--)
            {
                JobIndexRow row = _rows[i];
                if (!Matches(row, query))
                {
                    continue;
                }

                if (found.Count == query.Limit)
                {
                    more = true;
                    break;
                }

                found.Add(row.ToSummary());
                lastPosition = row.CreatedPosition;
            }
        }

        return new JobPage(found.ToImmutable(), more ? FormatCursor(lastPosition) : null);
    }

    /// <summary>Counts jobs by status.</summary>
    /// <param name="jobType">Only this job type; null for every type.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts.</returns>
    public async ValueTask<JobStatusCounts> CountAsync(JobType? jobType = null, CancellationToken cancellationToken = default)
    {
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            return jobType is { } type
                ? JobStatusCounts.From(_countsByType.TryGetValue(type, out int[]? counts) ? counts : new int[_counts.Length])
                : JobStatusCounts.From(_counts);
        }
    }

    /// <summary>Finds the job that has waited longest for its handler's first attempt (see <see cref="JobSummary.WaitingSince"/>).</summary>
    /// <param name="asOf">Jobs due after this time (a delayed start still in the future) are not waiting yet.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job, or null when no job is waiting.</returns>
    public async ValueTask<JobSummary?> FindOldestWaitingAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            JobIndexRow? oldest = null;
            foreach (JobIndexRow row in _rows)
            {
                if (row.WaitingSince is { } since && since <= asOf && (oldest is null || since < oldest.WaitingSince))
                {
                    oldest = row;
                }
            }

            return oldest?.ToSummary();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _catchUp.Dispose();

    private static bool Matches(JobIndexRow row, JobIndexQuery query) =>
        (query.JobType is not { } type || row.JobType == type)
        && (query.Status is not { } status || row.Status == status)
        && (query.BatchId is not { } batch || row.BatchId == batch)
        && (query.CreatedFrom is not { } from || row.CreatedAt >= from)
        && (query.CreatedTo is not { } to || row.CreatedAt < to);

    private static long ParseCursor(string cursor) =>
        long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out long position) && position > 0
            ? position
            : throw new InvalidJobRequestException("query", nameof(JobIndexQuery.Cursor), $"'{cursor}' is not a cursor this index gave.");

    private static string FormatCursor(long position) => position.ToString(CultureInfo.InvariantCulture);

    /// <summary>The index of the last row created before <paramref name="position"/> (rows are in position order), or -1.</summary>
    private int FirstBelow(long position)
    {
        int low = 0, high = _rows.Count - 1, found = -1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            if (_rows[middle].CreatedPosition < position)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    /// <summary>Adds a row for a <c>job.created</c> entry; returns the row an entry of a job stream concerns, or null.</summary>
    private JobIndexRow? Track(JobEventLogEntry entry)
    {
        if (entry.JobId.IsReservedStream)
        {
            return null;
        }

        lock (_lock)
        {
            if (_byId.TryGetValue(entry.JobId, out JobIndexRow? row))
            {
                return row;
            }

            if (!JobCreatedFact.TryRead(entry, out JobType type, out _))
            {
                return null;
            }

            bool runsHandler = _engine.Plans.TryGet(type, out JobPlan? plan) && plan.RunsHandler;
            row = new JobIndexRow(entry.JobId, plan?.JobType ?? type, entry.Position, entry.RecordedAt, JobCreatedFact.ReadBatchId(entry), JobCreatedFact.ReadJobId(entry, ReservedAttributes.Parent), runsHandler);
            _rows.Add(row);
            _byId.Add(row.JobId, row);
            Count(row, +1);
            return row;
        }
    }

    private async ValueTask RefreshAsync(JobIndexRow row, CancellationToken cancellationToken)
    {
        JobState? state;
        try
        {
            state = await _engine.GetStateAsync(row.JobId, cancellationToken).ConfigureAwait(false);
        }
        catch (JobTypeNotRegisteredException)
        {
            // A job of a type this process has no plan for: listed as created, never refreshed.
            return;
        }

        if (state is null)
        {
            return;
        }

        lock (_lock)
        {
            Count(row, -1);
            row.Apply(state);
            Count(row, +1);
        }
    }

    private void Count(JobIndexRow row, int delta)
    {
        _counts[(int)row.Status] += delta;
        if (!_countsByType.TryGetValue(row.JobType, out int[]? counts))
        {
            counts = new int[_counts.Length];
            _countsByType.Add(row.JobType, counts);
        }

        counts[(int)row.Status] += delta;
    }
}
