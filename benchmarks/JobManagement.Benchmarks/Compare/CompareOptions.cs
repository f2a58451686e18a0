using System.Globalization;

namespace JobManagement.Benchmarks.Compare;

/// <summary>The <c>compare</c> mode's arguments: <c>--events N --jobs N --rounds N</c>.</summary>
internal sealed record CompareOptions(int Events, int Jobs, int Rounds)
{
    public static CompareOptions Parse(IReadOnlyList<string> args)
    {
        int events = 100_000;
        int jobs = 1_000;
        int rounds = 5;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 1)
            {
                throw new ArgumentException($"'{name}' needs a positive whole number after it.", nameof(args));
            }

            i++;
            switch (name)
            {
                case "--events":
                    events = value;
                    break;
                case "--jobs":
                    jobs = value;
                    break;
                case "--rounds":
                    rounds = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'. Use --events, --jobs, --rounds.", nameof(args));
            }
        }

        return new CompareOptions(events, jobs, rounds);
    }
}
