using JobManagement.Journal.Conformance;

namespace JobManagement.Tests.Execution;

/// <summary>Runs the dedupe, batch and parent/child conformance suite on one in-memory journal shared by every node of a test.</summary>
public sealed class InMemoryEngineFeaturesConformanceTests : EngineFeaturesConformanceTests
{
    private readonly InMemoryJobEventJournal _journal = new();

    protected override void UseJournal(JobEngineBuilder jobs) => jobs.UseJournal(_ => _journal);
}
