namespace JobManagement.AspNetCore.Tests.Support;

/// <summary>A clock the test sets by hand (timers still run on real time; these tests start none).</summary>
public sealed class SettableClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
