using JobManagement.Journal.Conformance;
using Xunit.Abstractions;

namespace JobManagement.Tests.Execution;

/// <summary>Runs the worker conformance suite on one in-memory journal shared by every node of a test.</summary>
public sealed class InMemoryWorkerConformanceTests(ITestOutputHelper output) : WorkerConformanceTests(output)
{
    private readonly InMemoryJobEventJournal _journal = new();

    protected override void UseJournal(JobEngineBuilder jobs) => jobs.UseJournal(_ => _journal);
}
