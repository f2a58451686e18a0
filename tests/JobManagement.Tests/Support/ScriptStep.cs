using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Support;

/// <summary>One thing a caller does to an engine, so a seeded generator can write whole scenarios.</summary>
public abstract record ScriptStep;

public sealed record CreateStep(CreateJobRequest Request) : ScriptStep;

public sealed record StartStep(JobId JobId, EventId RequestId) : ScriptStep;

public sealed record AbortStep(JobId JobId, EventId RequestId, string Reason) : ScriptStep;

public sealed record CompensateStep(JobId JobId, EventId RequestId, CompensationOutcome Outcome) : ScriptStep;

public sealed record IngestStep(IncomingEvent Event) : ScriptStep;

public sealed record AdvanceStep(TimeSpan By) : ScriptStep;
