using System.Reflection;

namespace JobManagement.Journal.Conformance.Features;

/// <summary>
/// The internal engine call the suite needs to repair a parent's record of its children
/// (<c>JobEngine.SyncChildrenAsync</c>), reached by reflection because JobManagement grants
/// InternalsVisibleTo only to JobManagement.Tests. A missing member fails the test loudly.
/// </summary>
public static class FeatureInternals
{
    /// <summary>Runs <c>SyncChildrenAsync(parentId)</c>: appends a parent's missing child facts.</summary>
    /// <returns>The parent's state afterwards; null when it does not exist.</returns>
    public static async Task<JobState?> SyncChildrenAsync(JobEngine engine, JobId parentId)
    {
        MethodInfo method = typeof(JobEngine).GetMethod("SyncChildrenAsync", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, [typeof(JobId), typeof(CancellationToken)])
            ?? throw new MissingMethodException(nameof(JobEngine), "SyncChildrenAsync");
        return await (ValueTask<JobState?>)method.Invoke(engine, [parentId, CancellationToken.None])!;
    }
}
