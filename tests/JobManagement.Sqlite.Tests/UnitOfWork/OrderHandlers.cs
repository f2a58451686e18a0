using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.Sqlite.Tests.UnitOfWork;

/// <summary>What the order handler does: write its order row and succeed, throw after writing, break a deferred constraint, or never touch the unit of work.</summary>
public sealed record OrderInput(string OrderId, string Mode = OrderInput.Write)
{
    public const string Write = "write";
    public const string WriteThenThrow = "throw";
    public const string Orphan = "orphan";
    public const string Untouched = "untouched";
    public const string WaitThenWrite = "wait-then-write";
}

/// <summary>Writes through the attempt's <see cref="SqliteJobUnitOfWork"/>: its own table, in the journal's transaction.</summary>
internal sealed class OrderHandler(UnitOfWorkProbe probe) : IJobHandler<OrderInput>
{
    public const string Schema = """
        CREATE TABLE orders (id TEXT PRIMARY KEY, attempt INTEGER NOT NULL);
        CREATE TABLE order_lines (order_id TEXT NOT NULL REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED, line INTEGER NOT NULL);
        """;

    public async ValueTask HandleAsync(JobContext<OrderInput> context, CancellationToken cancellationToken)
    {
        // Progress before the transaction is written at once; the second, throttled, is written with the outcome.
        await context.ReportProgressAsync(0.25, "reserving", cancellationToken);
        await context.ReportProgressAsync(0.75, "recording", cancellationToken);
        if (context.Input.Mode == OrderInput.Untouched)
        {
            return;
        }

        if (context.Input.Mode == OrderInput.WaitThenWrite)
        {
            // Deaf to cancellation, like a handler another node's abort cannot reach.
            probe.Entered.TrySetResult();
            await probe.Gate.Task;
            cancellationToken = CancellationToken.None;
        }

        SqliteJobUnitOfWork unitOfWork = context.Services.GetRequiredService<SqliteJobUnitOfWork>();

        // Tells the test which tables get rows through this very connection (the journal's entry must be one).
        SQLitePCL.raw.sqlite3_update_hook(unitOfWork.Connection.Handle, static (user, _, _, table, _) => ((UnitOfWorkProbe)user).Inserted(table.utf8_to_string()), probe);
        await using SqliteCommand command = unitOfWork.Connection.CreateCommand();
        command.Transaction = unitOfWork.Transaction;
        command.CommandText = context.Input.Mode == OrderInput.Orphan
            ? "INSERT INTO order_lines (order_id, line) VALUES ($id, 1);"
            : "INSERT INTO orders (id, attempt) VALUES ($id, $attempt);";
        command.Parameters.AddWithValue("$id", context.Input.OrderId);
        command.Parameters.AddWithValue("$attempt", context.Attempt);
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (context.Input.Mode == OrderInput.WriteThenThrow || probe.ShouldFail())
        {
            throw new InvalidOperationException($"payment declined for {context.Input.OrderId} (attempt {context.Attempt})");
        }
    }
}
