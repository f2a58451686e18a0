using JobManagement.Tests.Support;

namespace JobManagement.Tests.Identity;

public sealed class IdSourceTests
{
    [Fact]
    public void NewUuid_IsVersion7WithTheRfcVariant_CarryingTheClocksMilliseconds()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 5, 6, 7, 8, 9, 123, TimeSpan.Zero));
        var sut = new IdSource(time);

        for (int i = 0; i < 1000; i++)
        {
            Guid uuid = sut.NewUuid();

            uuid.Version.Should().Be(7);
            (uuid.Variant & 0b1100).Should().Be(0b1000, "the RFC 9562 variant is binary 10");
            string hex = uuid.ToString("N");
            Convert.ToInt64(hex[..12], 16).Should().Be(time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    [Fact]
    public void NewEventIdAndNewJobId_AreFormattedAsTheirPublicNewMethodsFormatThem()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 5, 6, 7, 8, 9, 123, TimeSpan.Zero));
        var sut = new IdSource(time);

        EventId eventId = sut.NewEventId();
        JobId jobId = sut.NewJobId();

        eventId.Value.Should().Be(Guid.Parse(eventId.Value).ToString()).And.HaveLength(EventId.New(time).Value.Length);
        EventId.Parse(eventId.Value).Should().Be(eventId);
        jobId.Value.Should().Be(Guid.Parse(jobId.Value).ToString());
        JobId.Parse(jobId.Value).Should().Be(jobId);
    }

    [Fact]
    public void NewUuid_ManyAtTheSameMillisecond_AcrossBlockRefills_AreDistinctAndRandom()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sut = new IdSource(time);

        // 5,000 ids draw more than ten blocks of random bytes.
        Guid[] ids = [.. Enumerable.Range(0, 5000).Select(_ => sut.NewUuid())];

        ids.Should().OnlyHaveUniqueItems();

        // The 74 random bits are not constant: each random position takes (nearly) every value it can.
        byte[][] bytes = [.. ids.Select(static id => id.ToByteArray(bigEndian: true))];
        bytes.Select(static b => b[6] & 0x0F).Distinct().Should().HaveCount(16, "the low nibble of byte 6 is random (the high one is the version)");
        bytes.Select(static b => b[8] & 0x3F).Distinct().Should().HaveCount(64, "the low six bits of byte 8 are random (the high two are the variant)");
        for (int position = 7; position < 16; position++)
        {
            if (position != 8)
            {
                bytes.Select(b => b[position]).Distinct().Count().Should().BeGreaterThan(200, $"byte {position} is random");
            }
        }
    }

    [Fact]
    public void NewUuid_LaterTime_SortsAfterOrdinally()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sut = new IdSource(time);
        List<string> ids = [];
        for (int i = 0; i < 50; i++)
        {
            ids.Add(sut.NewEventId().Value);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        ids.Should().BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Fact]
    public void NewUuid_ClockBeforeTheUnixEpoch_Throws()
    {
        var sut = new IdSource(new ManualTimeProvider(new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero)));

        Action act = () => sut.NewUuid();

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
