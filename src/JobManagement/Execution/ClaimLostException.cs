namespace JobManagement;

/// <summary>Thrown inside a run when the next attempt could not be claimed (the job was aborted or another worker took it): the run ends quietly.</summary>
internal sealed class ClaimLostException() : Exception("The job could not be claimed for its next attempt.");
