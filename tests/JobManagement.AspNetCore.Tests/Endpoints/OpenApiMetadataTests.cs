using JobManagement.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.AspNetCore.Tests.Endpoints;

public sealed class OpenApiMetadataTests : IClassFixture<JobApiFactory>
{
    private readonly List<RouteEndpoint> _endpoints;

    public OpenApiMetadataTests(JobApiFactory factory)
    {
        factory.CreateClient();
        _endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(static e => e.RoutePattern.RawText!.StartsWith(JobApiFactory.Prefix, StringComparison.Ordinal))
            .ToList();
    }

    [Fact]
    public void MapJobEndpoints_MapsTheTenEndpoints()
    {
        _endpoints.Select(static e => $"{e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0]} {e.RoutePattern.RawText}")
            .Should().BeEquivalentTo(
                "POST /api/jobs", "POST /api/events", "GET /api/jobs/{id}", "GET /api/jobs/{id}/history", "GET /api/jobs/{id}/events",
                "GET /api/jobs", "POST /api/jobs/{id}/abort", "GET /api/dead-letters", "POST /api/jobs/{id}/replay", "GET /api/summary");
    }

    [Fact]
    public void EveryEndpoint_HasANameSummaryTagAndResponses()
    {
        foreach (RouteEndpoint endpoint in _endpoints)
        {
            string route = endpoint.RoutePattern.RawText!;
            endpoint.Metadata.GetMetadata<IEndpointNameMetadata>().Should().NotBeNull(route);
            endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()!.Summary.Should().NotBeNullOrWhiteSpace(route);
            endpoint.Metadata.GetMetadata<ITagsMetadata>()!.Tags.Should().Contain("Jobs", route);
            List<int> statuses = endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Select(static p => p.StatusCode).ToList();
            statuses.Should().Contain(static s => s == 200 || s == 201, route).And.Contain([400, 403], route);
        }
    }

    [Fact]
    public void PostEndpoints_DeclareAJsonBody()
    {
        foreach (RouteEndpoint endpoint in _endpoints.Where(static e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0] == "POST"))
        {
            IAcceptsMetadata accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()!;
            accepts.Should().NotBeNull(endpoint.RoutePattern.RawText);
            accepts.ContentTypes.Should().Contain("application/json");
            accepts.RequestType.Should().NotBeNull();
        }
    }
}
