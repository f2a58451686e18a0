namespace JobManagement.Tests.Journal;

/// <summary>Times in reserved attributes are read on the runtime's exact round-trip path, and any other ISO 8601 text still reads the same.</summary>
public sealed class ReservedTimeParsingTests
{
    public static TheoryData<string, DateTimeOffset> Times => new()
    {
        { "2026-05-06T07:08:09.1234567Z", new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1_234_567) },
        { "2026-05-06T07:08:09.1234567+02:00", new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(1_234_567) },
        { "2026-05-06T07:08:09Z", new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero) },
        { "2026-05-06T07:08:09.5+00:00", new DateTimeOffset(2026, 5, 6, 7, 8, 9, 500, TimeSpan.Zero) },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void TryParseTime_RoundTripAndOtherIsoTexts_ReadTheSameInstantAndOffset(string text, DateTimeOffset expected)
    {
        JobCreatedFact.TryParseTime(text, out DateTimeOffset time).Should().BeTrue();

        time.Should().Be(expected);
        time.Offset.Should().Be(expected.Offset);
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out DateTimeOffset general).Should().BeTrue();
        time.Should().Be(general, "the fast path reads what the general parser read before");
        time.Offset.Should().Be(general.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tomorrow")]
    [InlineData("2026-13-01T00:00:00Z")]
    public void TryParseTime_NotATime_IsRefused(string text) =>
        JobCreatedFact.TryParseTime(text, out _).Should().BeFalse();

    [Fact]
    public void TryParseTime_WhatTheEngineWrites_RoundTrips()
    {
        DateTimeOffset lease = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero).AddTicks(42);

        JobCreatedFact.TryParseTime(lease.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), out DateTimeOffset read).Should().BeTrue();

        read.Should().Be(lease);
        read.Offset.Should().Be(TimeSpan.Zero);
    }
}
