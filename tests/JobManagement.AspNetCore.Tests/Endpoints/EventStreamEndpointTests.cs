using System.Net;
using System.Text.Json;
using JobManagement.AspNetCore.Tests.Support;

namespace JobManagement.AspNetCore.Tests.Endpoints;

public sealed class EventStreamEndpointTests : IClassFixture<JobApiFactory>
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client;

    public EventStreamEndpointTests(JobApiFactory factory) => _client = factory.CreateClient();

    [Fact]
    public async Task Events_StreamsEachStateUntilTerminal()
    {
        string jobId = await _client.CreateOrderAsync("sse-1");
        using var timeout = new CancellationTokenSource(Safety);
        using HttpResponseMessage response = await _client.GetAsync($"{JobApiFactory.Prefix}/jobs/{jobId}/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        List<SseEvent> events = [(await ReadEventAsync(reader, timeout.Token))!];
        await _client.PostJsonAsync("/events", new { eventId = "sse-1-pay", type = "payment.captured", occurredAt = "2026-01-31T12:00:00Z", attributes = new { orderId = "sse-1" } });
        while (await ReadEventAsync(reader, timeout.Token) is { } next)
        {
            events.Add(next);
        }

        events.Should().AllSatisfy(static e => e.Type.Should().Be("state"));
        events.Select(static e => e.Data.GetProperty("status").GetString()).Should().Equal("running", "succeeded");
        events.Select(static e => e.Id).Should().Equal(events.Select(static e => e.Data.GetProperty("version").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Events_TerminalJob_SendsOneStateAndEnds()
    {
        string jobId = await _client.CreateOrderAsync("sse-2");
        await _client.PostJsonAsync($"/jobs/{jobId}/abort", new { reason = "done" });
        using var timeout = new CancellationTokenSource(Safety);

        string text = await _client.GetStringAsync($"{JobApiFactory.Prefix}/jobs/{jobId}/events", timeout.Token);

        text.Should().StartWith("event: state\n").And.Contain("\"status\":\"aborted\"");
        text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1);
    }

    [Fact]
    public async Task Events_UnknownJob_Is404Problem()
    {
        HttpResponseMessage response = await _client.GetApiAsync("/jobs/never-was/events");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>Reads one event (lines up to a blank line); null at the end of the stream.</summary>
    private static async Task<SseEvent?> ReadEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? type = null, id = null, data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new SseEvent(type, id, JsonDocument.Parse(data).RootElement.Clone());
                }

                continue;
            }

            (string field, string value) = line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? (line[..colon], line[(colon + 1)..].TrimStart()) : (line, "");
            switch (field)
            {
                case "event": type = value; break;
                case "id": id = value; break;
                case "data": data = data is null ? value : data + "\n" + value; break;
            }
        }

        return null;
    }

    private sealed record SseEvent(string? Type, string? Id, JsonElement Data);
}
