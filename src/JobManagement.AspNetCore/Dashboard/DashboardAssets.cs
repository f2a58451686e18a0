using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace JobManagement.AspNetCore;

/// <summary>
/// The dashboard's files, embedded in this assembly (no CDN, no build step): the page template and
/// its script, style sheet and icon, each with its content type and a strong ETag over its bytes.
/// </summary>
internal static class DashboardAssets
{
    /// <summary>The page template's resource name; the others are served under <c>{prefix}/assets/{name}</c>.</summary>
    public const string PageName = "index.html";

    private const string ResourcePrefix = "JobManagement.AspNetCore.Dashboard.";

    private static readonly FrozenDictionary<string, DashboardAsset> All = Load();

    /// <summary>Gets the page template (placeholders <c>{{base}}</c>, <c>{{api}}</c>, <c>{{token}}</c>).</summary>
    public static DashboardAsset Page => All[PageName];

    /// <summary>Gets the names of every asset but the page.</summary>
    public static IEnumerable<string> Names => All.Keys.Where(static name => name != PageName);

    /// <summary>Finds an asset by file name.</summary>
    public static bool TryGet(string name, out DashboardAsset asset) =>
        All.TryGetValue(name, out asset!) && name != PageName;

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        Assembly assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(static n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            byte[] bytes = buffer.ToArray();
            string name = resource[ResourcePrefix.Length..];
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";
            assets[name] = new DashboardAsset(name, bytes, ContentType(name), etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}

/// <summary>One embedded dashboard file.</summary>
internal sealed record DashboardAsset(string Name, byte[] Content, string ContentType, string ETag);
