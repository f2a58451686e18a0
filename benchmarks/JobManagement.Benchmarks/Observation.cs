namespace JobManagement.Benchmarks;

/// <summary>What the ingest benchmark's listener records.</summary>
public enum Observation
{
    /// <summary>No listener: the engine only checks whether anyone listens.</summary>
    Off,

    /// <summary>Every span sampled <c>AllDataAndRecorded</c> and every measurement recorded: the worst case.</summary>
    Everything,

    /// <summary>Every measurement recorded; spans sampled as by <see cref="TenthSampler"/> (one trace in ten recorded).</summary>
    TenthSampled,
}
