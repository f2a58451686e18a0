namespace JobManagement.Sqlite;

/// <summary>Settings of the <see cref="SqliteJobEventJournal"/>.</summary>
public sealed class SqliteJournalOptions
{
    /// <summary>Gets or sets the connection string, such as <c>Data Source=data/jobs.db</c>. Required.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets how hard each commit is pushed to disk. Default: <see cref="SqliteDurability.Full"/>
    /// (WAL with <c>synchronous=FULL</c>: an acknowledged append survives power loss).
    /// </summary>
    public SqliteDurability Durability { get; set; } = SqliteDurability.Full;

    /// <summary>
    /// Gets or sets the most append requests committed in one transaction (group commit). Default: 256.
    /// Concurrent appends queue while a commit is in flight and are committed together.
    /// </summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// Gets or sets how long the writer waits for more requests before committing a batch that is not
    /// full. Default: zero (commit at once: batches form naturally while the previous commit syncs).
    /// </summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets how long a connection waits for another process's lock. Default: 30 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("SqliteJournalOptions.ConnectionString is required.", nameof(ConnectionString));
        }

        if (MaxBatchSize is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "SqliteJournalOptions.MaxBatchSize must be between 1 and 100,000.");
        }

        if (MaxBatchWait < TimeSpan.Zero || MaxBatchWait > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchWait), MaxBatchWait, "SqliteJournalOptions.MaxBatchWait must be between 0 and 1 second.");
        }

        if (BusyTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BusyTimeout), BusyTimeout, "SqliteJournalOptions.BusyTimeout must not be negative.");
        }
    }
}

/// <summary>How hard the SQLite journal pushes each commit to disk.</summary>
public enum SqliteDurability
{
    /// <summary>WAL with <c>synchronous=FULL</c>: every acknowledged append survives a crash or power loss. The default.</summary>
    Full = 0,

    /// <summary>
    /// WAL with <c>synchronous=NORMAL</c>: faster, survives a process crash, but <b>may lose the last
    /// commits on power loss</b> (the database stays consistent). A named opt-in.
    /// </summary>
    NormalMayLoseLastCommitsOnPowerLoss = 1,
}
