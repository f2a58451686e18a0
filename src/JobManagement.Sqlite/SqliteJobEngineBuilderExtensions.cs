using JobManagement.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement;

/// <summary>Chooses the SQLite journal on the <c>AddJobEngine</c> builder.</summary>
public static class SqliteJobEngineBuilderExtensions
{
    /// <summary>Uses a durable SQLite journal (one file; WAL, <c>synchronous=FULL</c> unless configured otherwise).</summary>
    /// <param name="builder">The engine builder.</param>
    /// <param name="connectionString">The connection string, such as <c>Data Source=data/jobs.db</c>.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The builder.</returns>
    public static JobEngineBuilder UseSqliteJournal(this JobEngineBuilder builder, string connectionString, Action<SqliteJournalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SqliteJournalOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        options.Validate();
        return builder.UseJournal(services => new SqliteJobEventJournal(options, services.GetService<TimeProvider>()));
    }
}
