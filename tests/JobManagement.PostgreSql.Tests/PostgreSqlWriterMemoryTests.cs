using static JobManagement.PostgreSql.Tests.TestEvents;

namespace JobManagement.PostgreSql.Tests;

/// <summary>
/// The writer remembers the last position and stream versions between batches and then commits in one
/// round trip; these tests make sure a write by another node (a second journal on the schema) or a
/// duplicate event is caught by the check under the position lock or by the unique constraint, and the
/// batch is decided again from the table.
/// </summary>
public sealed class PostgreSqlWriterMemoryTests : IAsyncLifetime
{
    private readonly TemporarySchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [PostgreSqlFact]
    public async Task AppendAsync_OtherNodeWroteBetweenBatches_VersionsAndPositionsStayExact()
    {
        PostgreSqlJobEventJournal first = _schema.Open();
        PostgreSqlJobEventJournal second = _schema.Open();
        JobId job = JobId.Parse("job-1");

        (await first.AppendAsync(job, ExpectedStreamVersion.NoStream, [Event("a")])).StreamVersion.Should().Be(1);
        (await first.AppendAsync(job, ExpectedStreamVersion.Exactly(1), [Event("b")])).StreamVersion.Should().Be(2);
        (await second.AppendAsync(job, ExpectedStreamVersion.Exactly(2), [Event("c")])).StreamVersion.Should().Be(3);

        // The first writer remembers version 2 and position 2.
        Func<Task> stale = async () => await first.AppendAsync(job, ExpectedStreamVersion.Exactly(2), [Event("d")]);
        (await stale.Should().ThrowAsync<JobConcurrencyException>()).Which.ActualVersion.Should().Be(3);
        (await second.AppendAsync(JobId.Parse("job-2"), ExpectedStreamVersion.NoStream, [Event("x")])).Outcomes[0].Entry.Position.Should().Be(4);
        AppendResult appended = await first.AppendAsync(job, ExpectedStreamVersion.Exactly(3), [Event("d"), Event("e")]);
        appended.StreamVersion.Should().Be(5);
        appended.Outcomes.Select(o => o.Entry.Position).Should().Equal(5L, 6L);

        IReadOnlyList<JobEventLogEntry> all = await second.ReadAllAsync(1, 100);
        all.Select(e => e.Position).Should().Equal(1L, 2L, 3L, 4L, 5L, 6L);
        ShouldBeWellFormed(all);
    }

    [PostgreSqlFact]
    public async Task AppendAsync_DuplicateInRememberedStream_ReportsDuplicateWithConflictFlag()
    {
        PostgreSqlJobEventJournal sut = _schema.Open();
        JobId job = JobId.Parse("job-1");
        await sut.AppendAsync(job, ExpectedStreamVersion.NoStream, [Event("a")]);
        await sut.AppendAsync(job, ExpectedStreamVersion.Exactly(1), [Event("b")]);

        AppendResult result = await sut.AppendAsync(job, ExpectedStreamVersion.Any, [Event("c"), Event("a") with { EventType = EventTypeId.Parse("payment.refunded") }]);

        result.Outcomes.Select(o => (o.IsDuplicate, o.IsConflict)).Should().Equal((false, false), (true, true));
        result.StreamVersion.Should().Be(3);
        (await sut.AppendAsync(job, ExpectedStreamVersion.Exactly(3), [Event("d")])).Outcomes[0].Entry.Position.Should().Be(4);
        ShouldBeWellFormed(await sut.ReadAllAsync(1, 100));
    }
}
