using System.Net;
using System.Text;
using JobManagement.AspNetCore.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobManagement.AspNetCore.Tests.Endpoints;

public sealed class RequestBodyLimitTests
{
    [Fact]
    public async Task CreateJob_BodyOverTheDefault64KiB_Is413AndAppendsNothing()
    {
        using var factory = new JobApiFactory();
        long before = await factory.Journal.CountEntriesAsync();
        string body = """{"jobType":"order-fulfillment","requestId":"big","correlation":{"orderId":"1"},"input":{"blob":""" + $"\"{new string('x', 70_000)}\"" + "}}";

        HttpResponseMessage response = await factory.CreateClient().PostRawAsync("/jobs", body);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await factory.Journal.CountEntriesAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("/jobs")]
    [InlineData("/events")]
    [InlineData("/jobs/some-job/abort")]
    [InlineData("/jobs/some-job/replay")]
    public async Task Post_OverAConfiguredLimit_Is413(string path)
    {
        using JobApiFactory factory = JobApiFactory.With(services: static s => s.AddJobEndpoints(static o => o.MaxRequestBodyBytes = 1024));
        string body = $$"""{"reason":"{{new string('x', 2048)}}"}""";

        HttpResponseMessage response = await factory.CreateClient().PostRawAsync(path, body);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Post_ChunkedBodyWithoutLength_OverTheLimit_Is413AndAppendsNothing()
    {
        using JobApiFactory factory = JobApiFactory.With(services: static s => s.AddJobEndpoints(static o => o.MaxRequestBodyBytes = 1024));
        long before = await factory.Journal.CountEntriesAsync();
        byte[] bytes = Encoding.UTF8.GetBytes($$"""{"eventId":"chunked","type":"payment.captured","occurredAt":"2026-01-01T00:00:00Z","payload":"{{new string('x', 4096)}}"}""");
        var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new("application/json");

        HttpResponseMessage response = await factory.CreateClient().PostAsync(JobApiFactory.Prefix + "/events", content);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await factory.Journal.CountEntriesAsync()).Should().Be(before);
    }

    [Fact]
    public void Options_NonPositiveLimit_FailsAtStart()
    {
        using JobApiFactory factory = JobApiFactory.With(services: static s => s.AddJobEndpoints(static o => o.MaxRequestBodyBytes = 0));

        Action start = () => factory.CreateClient();

        start.Should().Throw<OptionsValidationException>().WithMessage("*MaxRequestBodyBytes*");
    }

    /// <summary>A stream that does not tell its length, so the client sends it without Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
