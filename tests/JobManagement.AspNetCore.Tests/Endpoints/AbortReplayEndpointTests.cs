using System.Net;
using System.Text.Json;
using JobManagement.AspNetCore.Tests.Support;

namespace JobManagement.AspNetCore.Tests.Endpoints;

public sealed class AbortReplayEndpointTests : IClassFixture<JobApiFactory>
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);
    private readonly JobApiFactory _factory;
    private readonly HttpClient _client;

    public AbortReplayEndpointTests(JobApiFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Abort_RunningJob_IsAbortedWithTheReason()
    {
        string jobId = await _client.CreateOrderAsync("abort-1");

        HttpResponseMessage response = await _client.PostJsonAsync($"/jobs/{jobId}/abort", new { reason = "customer cancelled", requestId = "abort-1-req" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonElement body = await response.JsonAsync();
        body.GetProperty("status").GetString().Should().Be("applied");
        body.GetProperty("state").GetProperty("status").GetString().Should().Be("aborted");
        body.GetProperty("state").GetProperty("abortReason").GetString().Should().Be("customer cancelled");
    }

    [Fact]
    public async Task Abort_UnknownJob_Is404AndAppendsNothing()
    {
        long before = await _factory.Journal.CountEntriesAsync();

        HttpResponseMessage response = await _client.PostJsonAsync("/jobs/nobody-here/abort", new { reason = "x" });

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await _factory.Journal.CountEntriesAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("{}", "reason")]
    [InlineData("""{"reason":""}""", "reason")]
    [InlineData("""{"reason":"x","requestId":"a b"}""", "requestId")]
    public async Task Abort_BadInput_Is400AndAppendsNothing(string json, string field)
    {
        string jobId = await _client.CreateOrderAsync("abort-bad-" + field + json.Length);
        long before = await _factory.Journal.CountEntriesAsync();

        HttpResponseMessage response = await _client.PostRawAsync($"/jobs/{jobId}/abort", json);

        await response.ShouldBeValidationProblemAsync(field);
        (await _factory.Journal.CountEntriesAsync()).Should().Be(before);
    }

    [Fact]
    public async Task DeadLetters_ListsTheFailedJob_AndReplayStartsANewOne()
    {
        JobState dead = await CreatePoisonJobAsync("dl-1");

        JsonElement letters = await (await _client.GetApiAsync($"/dead-letters?type={TestPlans.Poison}")).JsonAsync();
        HttpResponseMessage replay = await _client.PostRawAsync($"/jobs/{dead.JobId}/replay", """{"requestId":"replay-dl-1"}""");
        HttpResponseMessage again = await _client.PostRawAsync($"/jobs/{dead.JobId}/replay", """{"requestId":"replay-dl-1"}""");

        letters.EnumerateArray().Select(static l => l.GetProperty("jobId").GetString()).Should().Contain(dead.JobId.Value);
        JsonElement letter = letters.EnumerateArray().Single(l => l.GetProperty("jobId").GetString() == dead.JobId.Value);
        letter.GetProperty("attempts").GetInt32().Should().Be(1);
        letter.GetProperty("failure").GetProperty("error").GetProperty("message").GetString().Should().Contain("cannot be parsed");
        replay.StatusCode.Should().Be(HttpStatusCode.Created);
        JsonElement created = await replay.JsonAsync();
        replay.Headers.Location!.ToString().Should().Be($"/api/jobs/{created.GetProperty("jobId").GetString()}");
        created.GetProperty("state").GetProperty("replayOf").GetString().Should().Be(dead.JobId.Value);
        again.StatusCode.Should().Be(HttpStatusCode.OK, "the same replay request is a duplicate");
    }

    [Fact]
    public async Task Replay_WithoutABody_IsAccepted()
    {
        JobState dead = await CreatePoisonJobAsync("dl-2");

        HttpResponseMessage replay = await _client.PostAsync($"{JobApiFactory.Prefix}/jobs/{dead.JobId}/replay", content: null);

        replay.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Replay_JobNotDeadLettered_Is409()
    {
        string jobId = await _client.CreateOrderAsync("replay-409");

        HttpResponseMessage response = await _client.PostRawAsync($"/jobs/{jobId}/replay", "{}");

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Replay_UnknownJob_Is404()
    {
        HttpResponseMessage response = await _client.PostRawAsync("/jobs/nobody-at-all/replay", "{}");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("type=Bad%20Type", "type")]
    [InlineData("type=unregistered", "type")]
    [InlineData("limit=0", "limit")]
    public async Task DeadLetters_BadQuery_Is400(string query, string field)
    {
        HttpResponseMessage response = await _client.GetApiAsync("/dead-letters?" + query);

        await response.ShouldBeValidationProblemAsync(field);
    }

    private async Task<JobState> CreatePoisonJobAsync(string name)
    {
        HttpResponseMessage created = await _client.PostJsonAsync("/jobs", new { jobType = TestPlans.Poison, requestId = name, jobId = name, input = new { note = name } });
        created.EnsureSuccessStatusCode();
        using var timeout = new CancellationTokenSource(Safety);
        return await _factory.Engine.WaitAsync(JobId.Parse(name), timeout.Token);
    }
}
