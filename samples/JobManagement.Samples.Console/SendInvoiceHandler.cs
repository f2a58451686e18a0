namespace JobManagement.Samples.Console;

/// <summary>The input of a <c>send-invoice</c> job.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Email">Where to send the invoice.</param>
public sealed record SendInvoice(string OrderId, string Email);

/// <summary>What sending produced.</summary>
/// <param name="MessageId">The mail provider's message id.</param>
public sealed record InvoiceSent(string MessageId);

/// <summary>Sends an invoice; its first attempt fails (the mail server "is busy"), to show a journalled retry.</summary>
public sealed class SendInvoiceHandler : IJobHandler<SendInvoice, InvoiceSent>
{
    /// <inheritdoc />
    public async ValueTask<InvoiceSent> HandleAsync(JobContext<SendInvoice> context, CancellationToken cancellationToken)
    {
        await context.ReportProgressAsync(0.5, "rendering the invoice", cancellationToken);
        if (context.Attempt == 1)
        {
            throw new InvalidOperationException("mail server busy, try again later");
        }

        return new InvoiceSent($"msg-{context.Input.OrderId}-{context.JobId}");
    }
}
