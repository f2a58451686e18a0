using System.Net;
using System.Text.Json;
using JobManagement.AspNetCore.Tests.Support;

namespace JobManagement.AspNetCore.Tests.Endpoints;

/// <summary>Each test builds its own app: the list and the counts see every job in it.</summary>
public sealed class ListJobsEndpointTests
{
    [Fact]
    public async Task List_PagesNewestFirstWithACursor()
    {
        using var factory = new JobApiFactory();
        HttpClient client = factory.CreateClient();
        for (int i = 1; i <= 5; i++)
        {
            await client.CreateOrderAsync($"page-{i}", jobId: $"page-{i}");
        }

        JsonElement first = await (await client.GetApiAsync("/jobs?limit=2")).JsonAsync();
        JsonElement second = await (await client.GetApiAsync($"/jobs?limit=2&cursor={first.GetProperty("nextCursor").GetString()}")).JsonAsync();
        JsonElement third = await (await client.GetApiAsync($"/jobs?limit=2&cursor={second.GetProperty("nextCursor").GetString()}")).JsonAsync();

        Ids(first).Should().Equal("page-5", "page-4");
        Ids(second).Should().Equal("page-3", "page-2");
        Ids(third).Should().Equal("page-1");
        third.TryGetProperty("nextCursor", out _).Should().BeFalse();
    }

    [Fact]
    public async Task List_FiltersByTypeStatusBatchAndCreationTime()
    {
        using var factory = new JobApiFactory();
        HttpClient client = factory.CreateClient();
        await client.CreateOrderAsync("f-1", jobId: "f-order-1");
        await client.CreateOrderAsync("f-2", jobId: "f-order-2");
        await client.PostJsonAsync("/events", new { eventId = "f-pay-2", type = "payment.captured", occurredAt = "2026-01-31T12:00:00Z", attributes = new { orderId = "f-2" } });
        BatchState batch = await factory.Engine.SubmitBatchAsync(
            [new CreateJobRequest { JobType = JobType.Parse(TestPlans.Shipment), RequestId = EventId.Parse("f-ship"), JobId = JobId.Parse("f-ship-1") }],
            EventId.Parse("f-batch"));

        Ids(await (await client.GetApiAsync($"/jobs?type={TestPlans.Order}")).JsonAsync()).Should().Equal("f-order-2", "f-order-1");
        Ids(await (await client.GetApiAsync("/jobs?status=succeeded")).JsonAsync()).Should().Equal("f-order-2");
        Ids(await (await client.GetApiAsync($"/jobs?type={TestPlans.Order}&status=Running")).JsonAsync()).Should().Equal("f-order-1");
        Ids(await (await client.GetApiAsync($"/jobs?batch={batch.BatchId}")).JsonAsync()).Should().Equal("f-ship-1");
        Ids(await (await client.GetApiAsync("/jobs?createdFrom=2000-01-01T00:00:00Z&createdTo=2000-01-02T00:00:00Z")).JsonAsync()).Should().BeEmpty();
        Ids(await (await client.GetApiAsync("/jobs?createdFrom=2000-01-01T00:00:00Z")).JsonAsync()).Should().HaveCount(3);
    }

    [Theory]
    [InlineData("status=sleeping", "status")]
    [InlineData("status=3", "status")]
    [InlineData("type=Not%20A%20Type", "type")]
    [InlineData("batch=bad%20batch", "batch")]
    [InlineData("createdFrom=yesterday", "createdFrom")]
    [InlineData("createdTo=soon", "createdTo")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("type=a&type=b", "type")]
    public async Task List_BadQuery_Is400NamingTheField(string query, string field)
    {
        using var factory = new JobApiFactory();

        HttpResponseMessage response = await factory.CreateClient().GetApiAsync("/jobs?" + query);

        await response.ShouldBeValidationProblemAsync(field);
    }

    [Fact]
    public async Task Summary_CountsByStatus()
    {
        using var factory = new JobApiFactory();
        HttpClient client = factory.CreateClient();
        await client.CreateOrderAsync("s-1");
        await client.CreateOrderAsync("s-2");
        await client.PostJsonAsync("/events", new { eventId = "s-decline", type = "payment.declined", occurredAt = "2026-01-31T12:00:00Z", attributes = new { orderId = "s-2" } });

        JsonElement all = await (await client.GetApiAsync("/summary")).JsonAsync();
        JsonElement orders = await (await client.GetApiAsync($"/summary?type={TestPlans.Order}")).JsonAsync();
        JsonElement none = await (await client.GetApiAsync($"/summary?type={TestPlans.Shipment}")).JsonAsync();

        all.GetProperty("running").GetInt32().Should().Be(1);
        all.GetProperty("failed").GetInt32().Should().Be(1);
        all.GetProperty("total").GetInt32().Should().Be(2);
        orders.GetProperty("total").GetInt32().Should().Be(2);
        none.GetProperty("total").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task Summary_BadType_Is400()
    {
        using var factory = new JobApiFactory();

        HttpResponseMessage response = await factory.CreateClient().GetApiAsync("/summary?type=Bad%20Type");

        await response.ShouldBeValidationProblemAsync("type");
    }

    private static IEnumerable<string> Ids(JsonElement page) =>
        page.GetProperty("jobs").EnumerateArray().Select(static j => j.GetProperty("jobId").GetString()!).ToList();
}
