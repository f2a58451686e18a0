using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace JobManagement.AspNetCore;

/// <summary>
/// Keeps the endpoints local unless the host decided who may use them: an endpoint that carries no
/// authorization metadata (no <c>.RequireAuthorization(…)</c>, no <see cref="JobEndpointsOptions.AuthorizationPolicy"/>)
/// answers 403 to any request that does not come from a loopback address, or that names another host
/// than a loopback one (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>): a page on another site whose
/// name an attacker points at 127.0.0.1 (DNS rebinding) would otherwise be "local" and same-origin.
/// </summary>
internal static class LocalOnlyFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        if (HasAuthorization(http.GetEndpoint()) || (IsLoopback(http.Connection.RemoteIpAddress) && IsLoopbackHost(http.Request.Host)))
        {
            return await next(context).ConfigureAwait(false);
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: "The job endpoints answer only local requests (from and to a loopback address) until the host requires an authorization policy (RequireAuthorization on the endpoint group, or JobEndpointsOptions.AuthorizationPolicy).");
    }

    private static bool HasAuthorization(Endpoint? endpoint)
    {
        if (endpoint is null || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return false;
        }

        return endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null;
    }

    // An unknown address (no network connection) is not trusted: fail closed.
    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    // No Host header (HTTP/1.0) is not a name an attacker chose.
    private static bool IsLoopbackHost(HostString host) =>
        !host.HasValue
        || string.Equals(host.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || host.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Host, out IPAddress? address) && IPAddress.IsLoopback(address));
}
