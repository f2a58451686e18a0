using System.Globalization;
using JobManagement.Tests.Support;

namespace JobManagement.Tests.Properties;

/// <summary>Property (e): a state's JSON is byte-identical across runs and whatever the current culture.</summary>
public sealed class JobManagementJsonPropertyTests
{
    private const int Seeds = 200;

    [Fact]
    public async Task Serialize_TwoRunsAndTwoCultures_ByteIdentical()
    {
        for (int seed = 0; seed < Seeds; seed++)
        {
            List<ScriptStep> script = Scripts.Generate(new Random(seed + 4000));

            Dictionary<JobId, byte[]> first = await SerializeRunAsync(script);
            Dictionary<JobId, byte[]> second = await SerializeRunAsync(script);
            Dictionary<JobId, byte[]> turkish = await InCultureAsync("tr-TR", () => SerializeRunAsync(script));
            Dictionary<JobId, byte[]> german = await InCultureAsync("de-DE", () => SerializeRunAsync(script));

            foreach ((JobId jobId, byte[] bytes) in first)
            {
                second[jobId].Should().Equal(bytes, $"seed {seed}, job {jobId}: second run");
                turkish[jobId].Should().Equal(bytes, $"seed {seed}, job {jobId}: tr-TR");
                german[jobId].Should().Equal(bytes, $"seed {seed}, job {jobId}: de-DE");
            }
        }
    }

    [Fact]
    public void CurrentCulture_TurkishAndGerman_ReallyChangeFormatting()
    {
        // Guards the property above against running in invariant-globalization mode, where it would prove nothing.
        string lowered = InCulture("tr-TR", () => "I".ToLower(CultureInfo.CurrentCulture));
        string decimalText = InCulture("de-DE", () => 1.5.ToString(CultureInfo.CurrentCulture));

        lowered.Should().Be("ı");
        decimalText.Should().Be("1,5");
    }

    private static async Task<Dictionary<JobId, byte[]>> SerializeRunAsync(List<ScriptStep> script)
    {
        (_, Dictionary<JobId, JobState> states) = await Scripts.RunFreshAsync(script);
        return states.ToDictionary(p => p.Key, p => JobManagementJson.Serialize(p.Value));
    }

    private static async Task<T> InCultureAsync<T>(string culture, Func<Task<T>> action)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        CultureInfo savedUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            return await action();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    private static T InCulture<T>(string culture, Func<T> action)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
