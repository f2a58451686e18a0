namespace JobManagement.Samples.WebApp.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepoPaths
{
    /// <summary>Gets the repository's root (the folder holding JobManagement.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Gets the web sample's build output, in the configuration these tests were built in.</summary>
    public static string SampleOutput => Path.Combine(Root, "samples", "JobManagement.Samples.WebApp", "bin", Configuration, "net10.0");

    /// <summary>Gets where screenshots go: <c>JM_SCREENSHOT_DIR</c>, or <c>artifacts/screenshots</c> under the root (ignored by git).</summary>
    public static string Screenshots => Environment.GetEnvironmentVariable("JM_SCREENSHOT_DIR") is { Length: > 0 } dir ? dir : Path.Combine(Root, "artifacts", "screenshots");

#if RELEASE
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "JobManagement.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No JobManagement.sln above {AppContext.BaseDirectory}.");
    }
}
