using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace JobManagement.AspNetCore;

/// <summary>
/// Keeps the endpoints local unless the host decided who may use them: an endpoint that carries no
/// authorization metadata (no <c>.RequireAuthorization(…)</c>, no <see cref="JobEndpointsOptions.AuthorizationPolicy"/>)
/// answers 403 to any request that does not come from a loopback address.
/// </summary>
internal static class LocalOnlyFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        if (HasAuthorization(http.GetEndpoint()) || IsLoopback(http.Connection.RemoteIpAddress))
        {
            return await next(context).ConfigureAwait(false);
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: "The job endpoints answer only local requests until the host requires an authorization policy (RequireAuthorization on the endpoint group, or JobEndpointsOptions.AuthorizationPolicy).");
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
}
