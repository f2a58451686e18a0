using System.Globalization;

namespace JobManagement.Benchmarks.Durable;

/// <summary>Arguments of the <c>durable</c> and <c>replay</c> modes.</summary>
internal sealed record DurableOptions
{
    /// <summary>Gets which journals to measure: sqlite, postgres or both.</summary>
    public string Journal { get; init; } = "both";

    /// <summary>Gets how many events each append measurement writes.</summary>
    public int Events { get; init; } = 20_000;

    /// <summary>Gets how many streams (jobs) the events are spread over, round-robin.</summary>
    public int Streams { get; init; } = 1_000;

    /// <summary>Gets the producer counts to measure.</summary>
    public int[] Producers { get; init; } = [1, 8, 64];

    /// <summary>Gets how many times each measurement is repeated (each on a fresh database); the median is reported.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Gets how many entries the replay journal holds.</summary>
    public int Entries { get; init; } = 1_000_000;

    /// <summary>Gets the page size of the replay's ReadAllAsync calls.</summary>
    public int PageSize { get; init; } = 10_000;

    /// <summary>Gets the PostgreSQL connection string (JM_POSTGRES_CONNECTION unless --connection is given).</summary>
    public string? PostgresConnection { get; init; } = Environment.GetEnvironmentVariable("JM_POSTGRES_CONNECTION");

    public bool IncludesSqlite => Journal is "both" or "sqlite";

    public bool IncludesPostgres => Journal is "both" or "postgres";

    public static DurableOptions Parse(string[] args)
    {
        var options = new DurableOptions();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            options = args[i] switch
            {
                "--journal" => options with { Journal = value is "sqlite" or "postgres" or "both" ? value : throw new ArgumentException($"--journal must be sqlite, postgres or both, not '{value}'.") },
                "--events" => options with { Events = Int(value) },
                "--streams" => options with { Streams = Int(value) },
                "--producers" => options with { Producers = [.. value.Split(',').Select(Int)] },
                "--rounds" => options with { Rounds = Int(value) },
                "--entries" => options with { Entries = Int(value) },
                "--page" => options with { PageSize = Int(value) },
                "--connection" => options with { PostgresConnection = value },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options;
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
