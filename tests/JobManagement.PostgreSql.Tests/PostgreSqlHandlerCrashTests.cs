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
    private readonly SuiteSchema _schema = new();

    public Task InitializeAsync() => _schema.CreateAsync();

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    [PostgreSqlFact]
    public async Task Worker_ChildKilledWhileHandlersRun_EveryJobSucceedsOnce_AndRunningAttemptsAreTakenOver()
    {
        TemporarySchema schema = _schema.Schema;
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
