using JobManagement.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the job dashboard (see docs/web.md).</summary>
public static class JobDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard under <paramref name="prefix"/>: a page (plain HTML, JavaScript and CSS embedded
    /// in this package, nothing fetched from elsewhere) with the job list and live counts by status, its
    /// filters, and a page per job (<c>{prefix}/job/{id}</c>) that tells its story — expectations and what
    /// satisfied them, transitions, the timeline of journal entries, attempts with their errors, progress,
    /// result, children — live, with abort and replay. It calls the job endpoints mapped by
    /// <c>MapJobEndpoints(<paramref name="apiPrefix"/>)</c>. Needs <c>services.AddJobEndpoints()</c>.
    /// </summary>
    /// <remarks>
    /// The same access rule as the endpoints: local only unless the returned group is given
    /// <c>.RequireAuthorization(…)</c> (or <see cref="JobEndpointsOptions.AuthorizationPolicy"/> is set) —
    /// give the endpoints' group the same policy. The page carries the token the endpoints require on a
    /// browser's writes (cross-site request protection), a strict content security policy, and may not be framed.
    /// </remarks>
    /// <param name="endpoints">The application or a route group.</param>
    /// <param name="prefix">The dashboard's path, such as <c>/jobs</c>.</param>
    /// <param name="apiPrefix">The prefix given to <c>MapJobEndpoints</c>, such as <c>/jobs-api</c>.</param>
    /// <returns>The route group, for more conventions (authorization, rate limiting).</returns>
    public static RouteGroupBuilder MapJobDashboard(this IEndpointRouteBuilder endpoints, string prefix, string apiPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(apiPrefix);
        JobEndpointsOptions options = endpoints.ServiceProvider.GetService<IOptions<JobEndpointsOptions>>()?.Value
            ?? throw new InvalidOperationException("Call services.AddJobEndpoints() before MapJobDashboard.");

        string page = DashboardHandlers.Trim(prefix);
        string api = DashboardHandlers.Trim(apiPrefix);
        RouteGroupBuilder group = endpoints.MapGroup(prefix).ExcludeFromDescription();
        if (options.AuthorizationPolicy is { } policy)
        {
            group.RequireAuthorization(policy);
        }

        group.AddEndpointFilter(LocalOnlyFilter.InvokeAsync);
        IResult Page(HttpContext http, DashboardToken token) => DashboardHandlers.Page(http, page, api, token);
        group.MapGet("/", Page).WithName("JobManagement.Dashboard");
        group.MapGet("/job/{id}", (string id, HttpContext http, DashboardToken token) => Page(http, token)).WithName("JobManagement.DashboardJob");
        group.MapGet("/assets/{name}", DashboardHandlers.Asset).WithName("JobManagement.DashboardAsset");
        return group;
    }
}
