using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobManagement.PostgreSql.Tests;

/// <summary>A fresh PostgreSQL schema for one test, dropped afterwards, so tests never see each other's rows.</summary>
internal sealed class TemporarySchema : IAsyncDisposable
{
    private readonly List<PostgreSqlJobEventJournal> _opened = [];

    public TemporarySchema()
    {
        ConnectionString = PostgreSqlServer.RequireConnectionString();
        Name = "jm_t_" + Guid.NewGuid().ToString("N");
    }

    public string ConnectionString { get; }

    public string Name { get; }

    /// <summary>Opens a journal over the schema (a "node"); it is disposed with the schema.</summary>
    public PostgreSqlJobEventJournal Open(Action<PostgreSqlJournalOptions>? configure = null, ILogger<PostgreSqlJobEventJournal>? logger = null, string? connectionString = null)
    {
        var options = new PostgreSqlJournalOptions { ConnectionString = connectionString ?? ConnectionString, Schema = Name };
        configure?.Invoke(options);
        var journal = new PostgreSqlJobEventJournal(options, logger);
        _opened.Add(journal);
        return journal;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", $"\"{Name}\"", StringComparison.Ordinal), connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", $"\"{Name}\"", StringComparison.Ordinal), connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (PostgreSqlJobEventJournal journal in _opened)
        {
            await journal.DisposeAsync();
        }

        await ExecuteAsync("DROP SCHEMA IF EXISTS {schema} CASCADE");
    }
}
