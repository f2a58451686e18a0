using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace JobManagement.AspNetCore.Tests.Support;

/// <summary>Small helpers over <see cref="HttpClient"/> for the endpoint tests.</summary>
public static class ApiClient
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsync(JobApiFactory.Prefix + path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string body, string contentType = "application/json") =>
        client.PostAsync(JobApiFactory.Prefix + path, new StringContent(body, Encoding.UTF8, contentType));

    public static Task<HttpResponseMessage> GetApiAsync(this HttpClient client, string path) =>
        client.GetAsync(JobApiFactory.Prefix + path);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Creates an order job through the API and returns its id.</summary>
    public static async Task<string> CreateOrderAsync(this HttpClient client, string orderId, string? jobId = null)
    {
        HttpResponseMessage response = await client.PostJsonAsync("/jobs", new
        {
            jobType = TestPlans.Order,
            requestId = $"create-{orderId}",
            jobId,
            correlation = new Dictionary<string, string> { ["orderId"] = orderId },
        });
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("jobId").GetString()!;
    }

    /// <summary>Asserts a 400 problem details that names <paramref name="field"/>.</summary>
    public static async Task ShouldBeValidationProblemAsync(this HttpResponseMessage response, string field)
    {
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        JsonElement problem = await response.JsonAsync();
        problem.GetProperty("status").GetInt32().Should().Be(400);
        problem.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue($"the problem names '{field}': {problem}");
    }

    /// <summary>Asserts a problem details with the status.</summary>
    public static async Task ShouldBeProblemAsync(this HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        JsonElement problem = await response.JsonAsync();
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
    }

    /// <summary>The journal's entry count, read through the contract.</summary>
    public static async Task<long> CountEntriesAsync(this IJobEventJournal journal)
    {
        long count = 0;
        while (true)
        {
            IReadOnlyList<JobEventLogEntry> page = await journal.ReadAllAsync(count + 1, 1000);
            count += page.Count;
            if (page.Count < 1000)
            {
                return count;
            }
        }
    }
}
