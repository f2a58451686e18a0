using JobManagement.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

    /// <summary>
    /// Gives every attempt a <see cref="SqliteJobUnitOfWork"/> (scoped; it replaces any other <see cref="IJobUnitOfWork"/>):
    /// a transaction on the SQLite journal's own database, in which the handler writes and the engine appends
    /// the attempt's success, so both commit together. Use it with <see cref="UseSqliteJournal"/>. In a handler:
    /// <c>context.Services.GetRequiredService&lt;SqliteJobUnitOfWork&gt;()</c>. Mind SQLite's single write lock
    /// (see <see cref="SqliteJobUnitOfWork"/>).
    /// </summary>
    /// <param name="builder">The engine builder.</param>
    /// <returns>The builder.</returns>
    public static JobEngineBuilder UseSqliteUnitOfWork(this JobEngineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<SqliteJobUnitOfWork>();
        builder.Services.RemoveAll<IJobUnitOfWork>();
        builder.Services.AddScoped<IJobUnitOfWork>(static services => services.GetRequiredService<SqliteJobUnitOfWork>());
        return builder;
    }
}
