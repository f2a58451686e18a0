using System.Globalization;

namespace JobManagement.Benchmarks.Execution;

/// <summary>Arguments of the <c>jobs</c> and <c>jobs-breakdown</c> modes.</summary>
internal sealed record JobsOptions
{
    /// <summary>Gets how many jobs each in-memory and Quartz measurement runs.</summary>
    public int Jobs { get; init; } = 20_000;

    /// <summary>Gets how many jobs each SQLite measurement runs.</summary>
    public int SqliteJobs { get; init; } = 10_000;

    /// <summary>Gets how many times each measurement is repeated (fresh engine, scheduler, database each time); the median is reported.</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>
    /// Gets how many warm-up rounds run first (printed, not in the medians): N (2 by default) runs N full-size rounds of
    /// every configuration, so the runtime's tiered JIT has mostly settled and the rounds measure a running service's
    /// steady state, as BenchmarkDotNet's warm-up does; 0 runs one round with a tenth of the jobs, so the rounds measure
    /// a process in its first seconds (the JIT still compiles our longer hot path then: see docs/benchmarks.md).
    /// </summary>
    public int WarmupRounds { get; init; } = 2;

    /// <summary>Gets the worker's MaxConcurrency, also Quartz's thread pool MaxConcurrency.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Gets how many tasks submit jobs at once (each awaits its submission before taking the next).</summary>
    public int Submitters { get; init; } = 64;

    /// <summary>Gets the worker's PollInterval (how often it reads the journal for other processes' work).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets a value indicating whether all jobs are submitted before the worker starts (the rate is then the drain's alone; submissions are timed apart).</summary>
    public bool SubmitFirst { get; init; }

    /// <summary>Gets which configurations to run: quartz, memory, sqlite-full, sqlite-normal (comma-separated) or all.</summary>
    public string[] Configurations { get; init; } = ["quartz", "memory", "sqlite-full", "sqlite-normal"];

    public bool Includes(string configuration) => Configurations.Contains(configuration);

    public static JobsOptions Parse(string[] args)
    {
        var options = new JobsOptions();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            options = args[i] switch
            {
                "--jobs" => options with { Jobs = Int(value) },
                "--sqlite-jobs" => options with { SqliteJobs = Int(value) },
                "--rounds" => options with { Rounds = Int(value) },
                "--warmup" => options with { WarmupRounds = Int(value) },
                "--concurrency" => options with { Concurrency = Int(value) },
                "--submitters" => options with { Submitters = Int(value) },
                "--poll-ms" => options with { PollInterval = TimeSpan.FromMilliseconds(Int(value)) },
                "--submit-first" => options with { SubmitFirst = bool.Parse(value) },
                "--only" => options with { Configurations = value == "all" ? new JobsOptions().Configurations : value.Split(',') },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options;
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
