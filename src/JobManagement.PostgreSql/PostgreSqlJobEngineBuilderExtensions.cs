using JobManagement.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobManagement;

/// <summary>Chooses the PostgreSQL journal on the <c>AddJobEngine</c> builder.</summary>
public static class PostgreSqlJobEngineBuilderExtensions
{
    /// <summary>Uses a PostgreSQL journal, shared by every app instance that points at the same database and schema.</summary>
    /// <param name="builder">The engine builder.</param>
    /// <param name="connectionString">The connection string, such as <c>Host=db;Database=app;Username=app;Password=…</c>.</param>
    /// <param name="configure">Adjusts the options (schema, batching, retries).</param>
    /// <returns>The builder.</returns>
    public static JobEngineBuilder UsePostgreSqlJournal(this JobEngineBuilder builder, string connectionString, Action<PostgreSqlJournalOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return Use(builder, new PostgreSqlJournalOptions { ConnectionString = connectionString }, configure);
    }

    /// <summary>Uses a PostgreSQL journal over a data source the application owns (the journal never disposes it).</summary>
    /// <param name="builder">The engine builder.</param>
    /// <param name="dataSource">The data source.</param>
    /// <param name="configure">Adjusts the options (schema, batching, retries).</param>
    /// <returns>The builder.</returns>
    public static JobEngineBuilder UsePostgreSqlJournal(this JobEngineBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlJournalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return Use(builder, new PostgreSqlJournalOptions { DataSource = dataSource }, configure);
    }

    /// <summary>
    /// Gives every attempt a <see cref="PostgreSqlJobUnitOfWork"/> (scoped; it replaces any other <see cref="IJobUnitOfWork"/>):
    /// a transaction on the PostgreSQL journal's database, in which the handler writes and the engine appends the
    /// attempt's success, so both commit together. Use it with <c>UsePostgreSqlJournal</c>. In a handler:
    /// <c>context.Services.GetRequiredService&lt;PostgreSqlJobUnitOfWork&gt;()</c>.
    /// </summary>
    /// <param name="builder">The engine builder.</param>
    /// <returns>The builder.</returns>
    public static JobEngineBuilder UsePostgreSqlUnitOfWork(this JobEngineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<PostgreSqlJobUnitOfWork>();
        builder.Services.RemoveAll<IJobUnitOfWork>();
        builder.Services.AddScoped<IJobUnitOfWork>(static services => services.GetRequiredService<PostgreSqlJobUnitOfWork>());
        return builder;
    }

    private static JobEngineBuilder Use(JobEngineBuilder builder, PostgreSqlJournalOptions options, Action<PostgreSqlJournalOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        configure?.Invoke(options);
        options.Validate();
        return builder.UseJournal(services => new PostgreSqlJobEventJournal(
            options,
            services.GetService<ILogger<PostgreSqlJobEventJournal>>(),
            services.GetService<TimeProvider>()));
    }
}
