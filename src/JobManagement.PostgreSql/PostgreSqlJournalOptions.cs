using System.Text.RegularExpressions;
using Npgsql;

namespace JobManagement.PostgreSql;

/// <summary>Settings of the <see cref="PostgreSqlJobEventJournal"/>.</summary>
/// <remarks>Give either <see cref="ConnectionString"/> or <see cref="DataSource"/>. Not thread-safe: configure, then hand over.</remarks>
public sealed partial class PostgreSqlJournalOptions
{
    /// <summary>The schema used when none is configured.</summary>
    public const string DefaultSchema = "jobmanagement";

    /// <summary>
    /// Gets or sets the connection string, such as <c>Host=db;Database=app;Username=app;Password=…</c>.
    /// The journal builds (and owns) a data source from it; an <c>Application Name</c> of
    /// <c>JobManagement</c> is added when the string names none. Either this or <see cref="DataSource"/> is required.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets a data source the application already owns (its pool, logging, authentication).
    /// The journal uses it and never disposes it. Either this or <see cref="ConnectionString"/> is required.
    /// </summary>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>
    /// Gets or sets the PostgreSQL schema holding the journal's tables. Default: <c>jobmanagement</c>.
    /// Lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters.
    /// Journals in different schemas are independent (and do not serialise each other's appends).
    /// </summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// Gets or sets the most append requests committed in one transaction (group commit). Default: 256.
    /// Concurrent appends queue while a commit is in flight and are committed together.
    /// </summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// Gets or sets how long the writer waits for more requests before committing a batch that is not
    /// full. Default: zero (commit at once: batches form naturally while the previous commit runs).
    /// </summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Gets or sets how many times an operation is retried after a transient error (a dropped
    /// connection, a server shutting down, a serialization failure or deadlock). Default: 6.
    /// Retrying an append is safe: the retry re-checks which events are already recorded.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 6;

    /// <summary>
    /// Gets or sets the first retry's delay; later retries back off exponentially, with jitter.
    /// Default: 50 milliseconds.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == (DataSource is null))
        {
            throw new ArgumentException("Give PostgreSqlJournalOptions.ConnectionString or PostgreSqlJournalOptions.DataSource (exactly one).", nameof(ConnectionString));
        }

        if (Schema is null || !SchemaRule().IsMatch(Schema))
        {
            throw new ArgumentException($"PostgreSqlJournalOptions.Schema '{Schema}' must be 1-63 lower-case letters, digits or underscores, starting with a letter or underscore.", nameof(Schema));
        }

        if (MaxBatchSize is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "PostgreSqlJournalOptions.MaxBatchSize must be between 1 and 100,000.");
        }

        if (MaxBatchWait < TimeSpan.Zero || MaxBatchWait > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchWait), MaxBatchWait, "PostgreSqlJournalOptions.MaxBatchWait must be between 0 and 1 second.");
        }

        if (MaxRetryAttempts is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetryAttempts), MaxRetryAttempts, "PostgreSqlJournalOptions.MaxRetryAttempts must be between 0 and 100.");
        }

        if (RetryBaseDelay <= TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(RetryBaseDelay), RetryBaseDelay, "PostgreSqlJournalOptions.RetryBaseDelay must be more than 0 and at most 1 minute.");
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaRule();
}
