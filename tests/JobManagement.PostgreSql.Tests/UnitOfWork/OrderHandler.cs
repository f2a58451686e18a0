using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JobManagement.PostgreSql.Tests.UnitOfWork;

/// <summary>What the order handler does: write its order row and succeed, throw after writing, break a deferred constraint, or never touch the unit of work.</summary>
public sealed record OrderInput(string OrderId, string Schema, string Mode = OrderInput.Write)
{
    public const string Write = "write";
    public const string WriteThenThrow = "throw";
    public const string DuplicateCode = "duplicate-code";
    public const string WaitThenWrite = "wait-then-write";
}

/// <summary>Writes through the attempt's <see cref="PostgreSqlJobUnitOfWork"/>: its own tables, in the journal's transaction.</summary>
internal sealed class OrderHandler(UnitOfWorkProbe probe) : IJobHandler<OrderInput>
{
    /// <summary>
    /// The handler's tables. A deferred constraint trigger runs at COMMIT, inside the transaction: it records
    /// whether the job's success entry is visible there, which it is only if the engine appended it in the
    /// handler's transaction.
    /// </summary>
    public static readonly string[] Schema =
    [
        "CREATE TABLE {schema}.orders (id text PRIMARY KEY, attempt integer NOT NULL, job text NOT NULL, success_seen_at_commit boolean NOT NULL DEFAULT false)",
        "CREATE TABLE {schema}.order_codes (code text UNIQUE DEFERRABLE INITIALLY DEFERRED)",
        """
        CREATE FUNCTION {schema}.see_success() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {schema}.orders SET success_seen_at_commit = EXISTS (SELECT 1 FROM {schema}.entries WHERE stream = NEW.job AND event_type = 'job.attempt.succeeded') WHERE id = NEW.id;
            RETURN NULL;
        END $$
        """,
        "CREATE CONSTRAINT TRIGGER orders_see_success AFTER INSERT ON {schema}.orders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {schema}.see_success()",
    ];

    public async ValueTask HandleAsync(JobContext<OrderInput> context, CancellationToken cancellationToken)
    {
        if (context.Input.Mode == OrderInput.WaitThenWrite)
        {
            // Deaf to cancellation, like a handler another node's abort cannot reach.
            probe.Entered.TrySetResult();
            await probe.Gate.Task;
            cancellationToken = CancellationToken.None;
        }

        PostgreSqlJobUnitOfWork unitOfWork = context.Services.GetRequiredService<PostgreSqlJobUnitOfWork>();
        string schema = $"\"{context.Input.Schema}\"";
        string sql = context.Input.Mode == OrderInput.DuplicateCode
            ? $"INSERT INTO {schema}.order_codes (code) VALUES ($1), ($1)"
            : $"INSERT INTO {schema}.orders (id, attempt, job) VALUES ($1, {context.Attempt}, '{context.JobId}')";
        await using var command = new NpgsqlCommand(sql, unitOfWork.Connection, unitOfWork.Transaction) { Parameters = { new NpgsqlParameter { Value = context.Input.OrderId } } };
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (context.Input.Mode == OrderInput.WriteThenThrow || probe.ShouldFail())
        {
            throw new InvalidOperationException($"payment declined for {context.Input.OrderId} (attempt {context.Attempt})");
        }
    }
}
