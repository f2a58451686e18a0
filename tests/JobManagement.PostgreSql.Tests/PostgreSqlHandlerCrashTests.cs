using System.Globalization;
using JobManagement.CrashChild;
using JobManagement.Journal.Conformance.Workers;
using Xunit.Abstractions;

namespace JobManagement.PostgreSql.Tests;

/// <summary>
/// Kills a child process running handlers over a PostgreSQL schema with SIGKILL at seeded random moments,
/// restarts it on the same schema, and checks that the worker's guarantees hold (see <see cref="HandlerCrashScenario"/>).
/// </summary>
public sealed class PostgreSqlHandlerCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TemporarySchema? _schema;

    public Task InitializeAsync()
    {
        if (PostgreSqlServer.ConnectionString is not null || PostgreSqlServer.IsCi)
        {
            _schema = new TemporarySchema();
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    [PostgreSqlFact]
    public async Task Worker_ChildKilledWhileHandlersRun_EveryJobSucceedsOnce_AndRunningAttemptsAreTakenOver()
    {
        TemporarySchema schema = _schema!;
        var scenario = new HandlerCrashScenario(
            Path.Combine(AppContext.BaseDirectory, "JobManagement.CrashChild.dll"),
            tag => ["handler", "postgres", schema.ConnectionString, schema.Name, HandlerCrashScenario.JobCount.ToString(CultureInfo.InvariantCulture), tag],
            jobs => jobs.UsePostgreSqlJournal(schema.ConnectionString, o => o.Schema = schema.Name).AddCrashWork(),
            JobType.Parse(HandlerNode.JobTypeName),
            [.. Enumerable.Range(0, HandlerCrashScenario.JobCount).Select(HandlerNode.JobIdOf)],
            output);

        await scenario.RunAsync();
    }
}
