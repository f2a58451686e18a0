using System.Diagnostics;

namespace JobManagement.Benchmarks.Durable;

/// <summary>A measured rate, with the CPU this process spent on it (the database server's own CPU is not included).</summary>
/// <param name="Rate">Events (rows) per second of wall time.</param>
/// <param name="CpuMicrosPerEvent">This process's CPU time (all threads) per event, in microseconds.</param>
/// <param name="CoresBusy">This process's CPU time over wall time: 2.0 means both cores of this machine were busy with it.</param>
internal readonly record struct Measurement(double Rate, double CpuMicrosPerEvent, double CoresBusy);

/// <summary>Wall clock and process CPU time, started together.</summary>
internal sealed class Meter
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;

    public Measurement Stop(int events)
    {
        _wall.Stop();
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds;
        double wall = _wall.Elapsed.TotalSeconds;
        return new Measurement(events / wall, cpu * 1e6 / events, cpu / wall);
    }
}
