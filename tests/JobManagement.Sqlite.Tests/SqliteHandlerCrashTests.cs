using JobManagement.CrashChild;
using JobManagement.Journal.Conformance.Workers;
using Xunit.Abstractions;

namespace JobManagement.Sqlite.Tests;

/// <summary>
/// Kills a child process running handlers over a SQLite file with SIGKILL at seeded random moments,
/// restarts it on the same file, and checks that the worker's guarantees hold (see <see cref="HandlerCrashScenario"/>).
/// </summary>
public sealed class SqliteHandlerCrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Worker_ChildKilledWhileHandlersRun_EveryJobSucceedsOnce_AndRunningAttemptsAreTakenOver()
    {
        var scenario = new HandlerCrashScenario(
            Path.Combine(AppContext.BaseDirectory, "JobManagement.CrashChild.dll"),
            tag => ["handler", "sqlite", _database.ConnectionString, HandlerCrashScenario.JobCount.ToString(System.Globalization.CultureInfo.InvariantCulture), tag],
            jobs => jobs.UseSqliteJournal(_database.ConnectionString).AddCrashWork(),
            JobType.Parse(HandlerNode.JobTypeName),
            [.. Enumerable.Range(0, HandlerCrashScenario.JobCount).Select(HandlerNode.JobIdOf)],
            output);

        await scenario.RunAsync();
    }
}
