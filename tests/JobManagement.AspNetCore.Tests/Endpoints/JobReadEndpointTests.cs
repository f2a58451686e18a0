using System.Net;
using System.Text.Json;
using JobManagement.AspNetCore.Tests.Support;

namespace JobManagement.AspNetCore.Tests.Endpoints;

public sealed class JobReadEndpointTests : IClassFixture<JobApiFactory>
{
    private readonly HttpClient _client;

    public JobReadEndpointTests(JobApiFactory factory) => _client = factory.CreateClient();

    [Fact]
    public async Task GetJob_Existing_ReturnsItsState()
    {
        string jobId = await _client.CreateOrderAsync("read-1");

        HttpResponseMessage response = await _client.GetApiAsync($"/jobs/{jobId}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonElement state = await response.JsonAsync();
        state.GetProperty("jobId").GetString().Should().Be(jobId);
        state.GetProperty("jobType").GetString().Should().Be(TestPlans.Order);
        state.GetProperty("status").GetString().Should().Be("running");
        state.GetProperty("correlation").GetProperty("orderId").GetString().Should().Be("read-1");
        state.GetProperty("expectations").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task GetJob_Unknown_Is404Problem()
    {
        HttpResponseMessage response = await _client.GetApiAsync("/jobs/no-such-job");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/jobs/bad%20id")]
    [InlineData("/jobs/$unrouted")]
    [InlineData("/jobs/bad%20id/history")]
    [InlineData("/jobs/bad%20id/events")]
    public async Task Get_BadId_Is400NamingId(string path)
    {
        HttpResponseMessage response = await _client.GetApiAsync(path);

        await response.ShouldBeValidationProblemAsync("id");
    }

    [Fact]
    public async Task GetHistory_PagesThroughTheEntries()
    {
        string jobId = await _client.CreateOrderAsync("history-1");
        await _client.PostJsonAsync("/events", new { eventId = "history-1-note", type = "note.added", occurredAt = "2026-01-31T12:00:00Z", jobId });

        HttpResponseMessage first = await _client.GetApiAsync($"/jobs/{jobId}/history?limit=2");
        JsonElement page1 = await first.JsonAsync();
        HttpResponseMessage second = await _client.GetApiAsync($"/jobs/{jobId}/history?from={page1.GetProperty("nextFrom").GetInt64()}&limit=2");
        JsonElement page2 = await second.JsonAsync();

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        page1.GetProperty("entries").EnumerateArray().Select(static e => e.GetProperty("sequence").GetInt64()).Should().Equal(1, 2);
        page1.GetProperty("entries")[0].GetProperty("eventType").GetString().Should().Be("job.created");
        page2.GetProperty("entries").EnumerateArray().Select(static e => e.GetProperty("eventType").GetString()).Should().Equal("note.added");
        page2.TryGetProperty("nextFrom", out _).Should().BeFalse("the last page has no next page");
    }

    [Fact]
    public async Task GetHistory_UnknownJob_Is404()
    {
        HttpResponseMessage response = await _client.GetApiAsync("/jobs/nobody/history");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("from=0", "from")]
    [InlineData("from=x", "from")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    public async Task GetHistory_BadPage_Is400(string query, string field)
    {
        string jobId = await _client.CreateOrderAsync("history-bad-" + field);

        HttpResponseMessage response = await _client.GetApiAsync($"/jobs/{jobId}/history?{query}");

        await response.ShouldBeValidationProblemAsync(field);
    }
}
