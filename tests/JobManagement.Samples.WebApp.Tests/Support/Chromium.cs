namespace JobManagement.Samples.WebApp.Tests.Support;

/// <summary>Debian's Chromium (<c>apt-get install chromium</c>), driven by Playwright; never a browser Playwright downloads.</summary>
public static class Chromium
{
    /// <summary>Gets the browser's path: <c>JM_CHROMIUM</c>, or <c>/usr/bin/chromium</c>.</summary>
    public static string Path { get; } = Environment.GetEnvironmentVariable("JM_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Gets a value indicating whether this run is CI's (<c>CI=true</c>): a missing browser fails there instead of skipping.</summary>
    public static bool IsCi { get; } = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets why browser tests cannot run here.</summary>
    public static string MissingMessage => $"No Chromium at {Path} (install Debian's: apt-get install -y chromium; or set JM_CHROMIUM).";

    /// <summary>
    /// Gets the launch flags: no sandbox (CI runs as root), and none of the background traffic the closed
    /// network here would refuse.
    /// </summary>
    public static IReadOnlyList<string> Args { get; } =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];
}

/// <summary>
/// A fact that needs Chromium. Without it, locally, it reports itself skipped with the reason; under
/// <c>CI=true</c> it runs and fails, because a CI run that silently skipped the browser would prove nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium.Path) && !Chromium.IsCi)
        {
            Skip = Chromium.MissingMessage;
        }
    }
}
