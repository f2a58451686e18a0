using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace JobManagement.AspNetCore;

/// <summary>Serves the dashboard: the page (one template for every client-side route) and its embedded assets.</summary>
internal static class DashboardHandlers
{
    /// <summary>Only this origin's scripts, styles and connections; never framed (an abort button must not be clicked through another site).</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IResult Page(HttpContext http, string prefix, string apiPrefix, DashboardToken token)
    {
        string pathBase = http.Request.PathBase.Value ?? string.Empty;
        string html = Encoding.UTF8.GetString(DashboardAssets.Page.Content)
            .Replace("{{base}}", Attribute(pathBase + prefix), StringComparison.Ordinal)
            .Replace("{{api}}", Attribute(pathBase + apiPrefix), StringComparison.Ordinal)
            .Replace("{{token}}", Attribute(token.Value), StringComparison.Ordinal);

        IHeaderDictionary headers = http.Response.Headers;
        headers.CacheControl = "no-store"; // the page holds the token
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    public static IResult Asset(string name, HttpContext http)
    {
        if (!DashboardAssets.TryGet(name, out DashboardAsset asset))
        {
            return TypedResults.NotFound();
        }

        IHeaderDictionary headers = http.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache"; // revalidate: an upgraded package serves its new files at once
        headers.XContentTypeOptions = "nosniff";
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static string Attribute(string value) => HtmlEncoder.Default.Encode(value);

    /// <summary>Removes one trailing slash, so <c>/jobs/</c> and <c>/jobs</c> give the same links.</summary>
    public static string Trim(string prefix) => prefix.Length > 1 && prefix.EndsWith('/') ? prefix[..^1] : prefix == "/" ? string.Empty : prefix;

}
