using System.Net;
using System.Text.Json;
using JobManagement.AspNetCore.Tests.Support;

namespace JobManagement.AspNetCore.Tests.Endpoints;

public sealed class CreateJobEndpointTests : IClassFixture<JobApiFactory>
{
    private readonly JobApiFactory _factory;
    private readonly HttpClient _client;

    public CreateJobEndpointTests(JobApiFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Post_NewJob_Returns201WithLocationAndState()
    {
        HttpResponseMessage response = await _client.PostJsonAsync("/jobs", new
        {
            jobType = TestPlans.Order,
            requestId = "create-201",
            jobId = "order-201",
            correlation = new { orderId = "201" },
            input = new { amount = 42 },
            priority = 3,
        });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location!.ToString().Should().Be("/api/jobs/order-201");
        JsonElement body = await response.JsonAsync();
        body.GetProperty("jobId").GetString().Should().Be("order-201");
        body.GetProperty("isDuplicate").GetBoolean().Should().BeFalse();
        body.GetProperty("state").GetProperty("status").GetString().Should().Be("running");
        body.GetProperty("state").GetProperty("priority").GetInt32().Should().Be(3);
        body.GetProperty("state").GetProperty("input").GetProperty("amount").GetInt32().Should().Be(42);
    }

    [Fact]
    public async Task Post_SameRequestIdTwice_SecondIs200DuplicateAndAppendsNothing()
    {
        var request = new { jobType = TestPlans.Order, requestId = "create-dup", correlation = new { orderId = "dup" } };
        HttpResponseMessage first = await _client.PostJsonAsync("/jobs", request);
        long before = await _factory.Journal.CountEntriesAsync();

        HttpResponseMessage second = await _client.PostJsonAsync("/jobs", request);

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        (await second.JsonAsync()).GetProperty("isDuplicate").GetBoolean().Should().BeTrue();
        (await _factory.Journal.CountEntriesAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("""{"requestId":"r-1","correlation":{"orderId":"1"}}""", "jobType")]
    [InlineData("""{"jobType":"Not A Type","requestId":"r-2"}""", "jobType")]
    [InlineData("""{"jobType":"unknown-type","requestId":"r-3"}""", "jobType")]
    [InlineData("""{"jobType":"order-fulfillment","requestId":"r-4"}""", "correlation")]
    [InlineData("""{"jobType":"order-fulfillment","requestId":"r-5","correlation":{"job.type":"x","orderId":"1"}}""", "correlation")]
    [InlineData("""{"jobType":"order-fulfillment","requestId":"r 6","correlation":{"orderId":"1"}}""", "requestId")]
    [InlineData("""{"jobType":"order-fulfillment","requestId":"r-7","jobId":"bad id!","correlation":{"orderId":"1"}}""", "jobId")]
    [InlineData("""{"jobType":"order-fulfillment","requestId":"r-8","priority":"high","correlation":{"orderId":"1"}}""", "priority")]
    [InlineData("""{"jobType":"order-fulfillment","requestId":"r-9","parentJobId":"no-such-parent","correlation":{"orderId":"1"}}""", "parentJobId")]
    [InlineData("""{"jobType":"order-fulfillment","requestId":"r-10","dedupeKey":"","correlation":{"orderId":"1"}}""", "dedupeKey")]
    [InlineData("not json", "body")]
    [InlineData("""{"jobType": """, "jobType")]
    [InlineData("", "body")]
    public async Task Post_BadInput_Is400NamingTheFieldAndAppendsNothing(string json, string field)
    {
        long before = await _factory.Journal.CountEntriesAsync();

        HttpResponseMessage response = await _client.PostRawAsync("/jobs", json);

        await response.ShouldBeValidationProblemAsync(field);
        (await _factory.Journal.CountEntriesAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Post_TakenJobId_Is409()
    {
        await _client.CreateOrderAsync("taken-1", jobId: "taken");

        HttpResponseMessage response = await _client.PostJsonAsync("/jobs", new { jobType = TestPlans.Order, requestId = "another-request", jobId = "taken", correlation = new { orderId = "x" } });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Post_NotJson_Is415AndAppendsNothing()
    {
        long before = await _factory.Journal.CountEntriesAsync();

        HttpResponseMessage response = await _client.PostRawAsync("/jobs", "jobType=order", "application/x-www-form-urlencoded");

        // Routing answers it (the endpoint declares it accepts JSON): a status without a body, unless the host uses UseStatusCodePages.
        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await _factory.Journal.CountEntriesAsync()).Should().Be(before);
    }
}
