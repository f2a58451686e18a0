using JobManagement.Journal.Conformance;

namespace JobManagement.Tests.Journal;

/// <summary>Runs the journal conformance suite against <see cref="InMemoryJobEventJournal"/>.</summary>
public sealed class InMemoryJobEventJournalTests : JobEventJournalConformanceTests
{
    protected override ValueTask<IJobEventJournal> CreateJournalAsync() => new(new InMemoryJobEventJournal());
}
