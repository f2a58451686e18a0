using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace JobManagement.AspNetCore;

/// <summary>
/// Refuses (403) a write that a browser sends on another site's behalf. A request counts as a
/// browser's when it carries <c>Origin</c>, <c>Sec-Fetch-Site</c> or a cookie — browsers add them,
/// API clients (curl, <c>HttpClient</c>, webhooks) do not, so those are not affected. A browser's
/// POST must then be same-origin (<c>Sec-Fetch-Site: same-origin</c> when sent; <c>Origin</c>, when
/// sent, naming the request's own host) and carry the application's token in
/// <see cref="DashboardToken.HeaderName"/>, which only the dashboard page knows. A custom header
/// also makes a cross-origin browser ask first (CORS preflight), which a plain form post cannot do.
/// </summary>
internal static class CrossSiteFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || !http.RequestServices.GetRequiredService<IOptions<JobEndpointsOptions>>().Value.ProtectAgainstCrossSiteRequests
            || Refusal(http.Request, http.RequestServices.GetRequiredService<DashboardToken>()) is not { } reason)
        {
            return await next(context).ConfigureAwait(false);
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused", detail: reason);
    }

    /// <summary>Why the request is refused, or null when it may go on.</summary>
    internal static string? Refusal(HttpRequest request, DashboardToken token)
    {
        IHeaderDictionary headers = request.Headers;
        string? fetchSite = headers["Sec-Fetch-Site"];
        string? origin = headers.Origin;
        if (fetchSite is null && origin is null && !headers.ContainsKey(HeaderNames.Cookie))
        {
            return null; // not a browser: API clients are not exposed to cross-site requests
        }

        if (fetchSite is not null && !string.Equals(fetchSite, "same-origin", StringComparison.OrdinalIgnoreCase))
        {
            return $"A browser's write must come from the same origin (Sec-Fetch-Site: {fetchSite}).";
        }

        if (origin is not null && !SameHost(origin, request.Host))
        {
            return $"A browser's write must come from the same origin (Origin: {origin}, host: {request.Host}).";
        }

        return token.Matches(headers[DashboardToken.HeaderName])
            ? null
            : $"A browser's write must carry the {DashboardToken.HeaderName} header the dashboard page gives.";
    }

    // Compares the authority only: behind a TLS-terminating proxy the scheme the app sees differs from the browser's.
    private static bool SameHost(string origin, HostString host) =>
        Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri) && host.HasValue
        && string.Equals(uri.IsDefaultPort ? uri.Host : uri.Authority, host.Value, StringComparison.OrdinalIgnoreCase);
}
