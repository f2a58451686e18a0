namespace JobManagement;

/// <summary>What kind of fact an expectation waits for. For readability only: never used for matching.</summary>
public enum ExpectationKind
{
    /// <summary>A fact about the domain, such as <c>payment.captured</c>.</summary>
    DomainFact = 0,

    /// <summary>A signal from outside the application, such as a webhook (<c>shipment.delivered</c>).</summary>
    ExternalSignal = 1,

    /// <summary>The completion of a logical task of the job.</summary>
    TaskCompletion = 2,
}
