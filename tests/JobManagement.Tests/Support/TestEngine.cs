using Microsoft.Extensions.Options;

namespace JobManagement.Tests.Support;

/// <summary>Builds engines without DI, so a test can give several engines one journal.</summary>
public static class TestEngine
{
    public static JobEngine Create(IJobEventJournal journal, TimeProvider time, params JobPlan[] plans) =>
        Create(journal, time, new JobEngineOptions(), plans);

    public static JobEngine Create(IJobEventJournal journal, TimeProvider time, JobEngineOptions options, params JobPlan[] plans) =>
        new(journal, new JobPlanCatalog(plans.Length == 0 ? [TestPlans.Order] : plans), Options.Create(options), time);
}
