using System.Net;
using System.Text.Json;
using JobManagement.AspNetCore.Tests.Support;

namespace JobManagement.AspNetCore.Tests.Endpoints;

public sealed class IngestEndpointTests : IClassFixture<JobApiFactory>
{
    private readonly JobApiFactory _factory;
    private readonly HttpClient _client;

    public IngestEndpointTests(JobApiFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Post_RoutedEvent_AppliesAndSucceedsTheJob()
    {
        string jobId = await _client.CreateOrderAsync("ingest-1");

        HttpResponseMessage response = await _client.PostJsonAsync("/events", new
        {
            eventId = "psp-ingest-1",
            type = "payment.captured",
            occurredAt = "2026-01-31T12:00:00Z",
            attributes = new { orderId = "ingest-1" },
            payload = new { amount = 10 },
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonElement body = await response.JsonAsync();
        body.GetProperty("isDuplicate").GetBoolean().Should().BeFalse();
        JsonElement outcome = body.GetProperty("outcomes")[0];
        outcome.GetProperty("jobId").GetString().Should().Be(jobId);
        outcome.GetProperty("status").GetString().Should().Be("applied");
        outcome.GetProperty("jobStatus").GetString().Should().Be("succeeded");
    }

    [Fact]
    public async Task Post_Redelivery_IsDuplicateAndAppendsNothing()
    {
        await _client.CreateOrderAsync("ingest-2");
        var delivery = new { eventId = "psp-ingest-2", type = "payment.captured", occurredAt = "2026-01-31T12:00:00Z", attributes = new { orderId = "ingest-2" } };
        await _client.PostJsonAsync("/events", delivery);
        long before = await _factory.Journal.CountEntriesAsync();

        HttpResponseMessage again = await _client.PostJsonAsync("/events", delivery);

        again.StatusCode.Should().Be(HttpStatusCode.OK);
        (await again.JsonAsync()).GetProperty("isDuplicate").GetBoolean().Should().BeTrue();
        (await _factory.Journal.CountEntriesAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Post_AddressedToAJobThatDoesNotExistYet_IsAwaitingJob()
    {
        HttpResponseMessage response = await _client.PostJsonAsync("/events", new { eventId = "early-1", type = "parcel.delivered", occurredAt = "2026-01-31T12:00:00Z", jobId = "shipment-later" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("outcomes")[0].GetProperty("status").GetString().Should().Be("awaitingJob");
    }

    [Theory]
    [InlineData("""{"type":"payment.captured","occurredAt":"2026-01-31T12:00:00Z"}""", "eventId")]
    [InlineData("""{"eventId":"e 1","type":"payment.captured","occurredAt":"2026-01-31T12:00:00Z"}""", "eventId")]
    [InlineData("""{"eventId":"e-2","occurredAt":"2026-01-31T12:00:00Z"}""", "type")]
    [InlineData("""{"eventId":"e-3","type":"Payment Captured","occurredAt":"2026-01-31T12:00:00Z"}""", "type")]
    [InlineData("""{"eventId":"e-4","type":"job.created","occurredAt":"2026-01-31T12:00:00Z"}""", "type")]
    [InlineData("""{"eventId":"e-5","type":"payment.captured"}""", "occurredAt")]
    [InlineData("""{"eventId":"e-6","type":"payment.captured","occurredAt":"yesterday"}""", "occurredAt")]
    [InlineData("""{"eventId":"e-7","type":"payment.captured","occurredAt":"2026-01-31T12:00:00Z","jobId":"not a job"}""", "jobId")]
    [InlineData("""{"eventId":"e-8","type":"payment.captured","occurredAt":"2026-01-31T12:00:00Z","taskId":"bad task!"}""", "taskId")]
    [InlineData("""{"eventId":"e-9","type":"payment.captured","occurredAt":"2026-01-31T12:00:00Z","attributes":{"job.x":"1"}}""", "attributes")]
    [InlineData("""{"eventId":"e-10","type":"payment.captured","occurredAt":"2026-01-31T12:00:00Z","attributes":{"orderId":5}}""", "attributes.orderId")]
    public async Task Post_BadInput_Is400NamingTheFieldAndAppendsNothing(string json, string field)
    {
        long before = await _factory.Journal.CountEntriesAsync();

        HttpResponseMessage response = await _client.PostRawAsync("/events", json);

        await response.ShouldBeValidationProblemAsync(field);
        (await _factory.Journal.CountEntriesAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Post_ObservabilityIdTooLong_IsRejectedByTheEngineAnd400()
    {
        long before = await _factory.Journal.CountEntriesAsync();

        HttpResponseMessage response = await _client.PostJsonAsync("/events", new
        {
            eventId = "e-observability",
            type = "payment.captured",
            occurredAt = "2026-01-31T12:00:00Z",
            observability = new { traceId = new string('a', 200) },
        });

        await response.ShouldBeValidationProblemAsync("observability");
        (await _factory.Journal.CountEntriesAsync()).Should().Be(before);
    }
}
