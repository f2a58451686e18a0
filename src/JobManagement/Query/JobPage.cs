using System.Collections.Immutable;

namespace JobManagement;

/// <summary>One page of jobs listed by <see cref="JobIndex"/>.</summary>
/// <param name="Jobs">The jobs, newest first.</param>
/// <param name="NextCursor">The cursor of the next page (pass it as <see cref="JobIndexQuery.Cursor"/>), or null when this page is the last.</param>
public sealed record JobPage(ImmutableArray<JobSummary> Jobs, string? NextCursor);
