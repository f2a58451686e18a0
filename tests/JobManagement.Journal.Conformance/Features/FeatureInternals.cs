
namespace JobManagement.Journal.Conformance.Features;

/// <summary>
/// The internal engine call the suite needs to repair a parent's record of its children
/// (<c>JobEngine.SyncChildrenAsync</c>); JobManagement grants this library InternalsVisibleTo.
/// </summary>
public static class FeatureInternals
{
    public static async Task<JobState?> SyncChildrenAsync(JobEngine engine, JobId parentId)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return await engine.SyncChildrenAsync(parentId, CancellationToken.None);
    }
}
