namespace JobManagement.Samples.WebApp.Tests.Support;

/// <summary>A folder for one test's journal, removed afterwards.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    /// <summary>Gets the folder.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory("jm-webapp-").FullName;

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a process still closing its files: the temp folder is cleaned by the system
        }
    }
}
