using System.Globalization;

namespace JobManagement.PostgreSql;

/// <summary>
/// The transaction of an earlier attempt, whose connection dropped, is still in progress on the
/// server: its outcome is not known yet. Retried like any transient error.
/// </summary>
internal sealed class TransientCommitStateException(long transactionId)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"Transaction {transactionId} of an earlier attempt is still in progress on the server."))
{
    public long TransactionId { get; } = transactionId;
}
