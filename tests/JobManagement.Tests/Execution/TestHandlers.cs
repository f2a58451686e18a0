using JobManagement.Tests.Support;

namespace JobManagement.Tests.Execution;

public sealed record EmailInput(string To);

public sealed record Receipt(string MessageId, int Attempt);

[NonRetryable]
public sealed class PoisonMessageException(string message) : Exception(message);

/// <summary>Succeeds with a receipt, after failing <see cref="HandlerProbe.FailuresLeft"/> times.</summary>
public sealed class SendEmailHandler(HandlerProbe probe) : IJobHandler<EmailInput, Receipt>
{
    public ValueTask<Receipt> HandleAsync(JobContext<EmailInput> context, CancellationToken cancellationToken)
    {
        using IDisposable running = probe.Enter();
        probe.Record($"{context.JobId}:{context.Attempt}:{context.Input.To}");
        if (probe.ShouldFail())
        {
            throw new InvalidOperationException($"SMTP refused {context.Input.To} (attempt {context.Attempt})");
        }

        return ValueTask.FromResult(new Receipt($"msg-{context.Input.To}", context.Attempt));
    }
}

/// <summary>Blocks until the probe's gate opens (or its token is cancelled).</summary>
public sealed class BlockingHandler(HandlerProbe probe) : IJobHandler<EmailInput>
{
    public async ValueTask HandleAsync(JobContext<EmailInput> context, CancellationToken cancellationToken)
    {
        using IDisposable running = probe.Enter();
        probe.Record($"{context.Input.To}:{context.Attempt}");
        await probe.Gate.Task.WaitAsync(cancellationToken);
    }
}

/// <summary>Blocks until the probe's gate opens, ignoring cancellation (a handler that does not cooperate).</summary>
public sealed class StubbornHandler(HandlerProbe probe) : IJobHandler<EmailInput>
{
    public async ValueTask HandleAsync(JobContext<EmailInput> context, CancellationToken cancellationToken)
    {
        using IDisposable running = probe.Enter();
        await probe.Gate.Task;
    }
}

/// <summary>Always throws the exception its input names.</summary>
public sealed class ThrowingHandler(HandlerProbe probe) : IJobHandler<EmailInput>
{
    public ValueTask HandleAsync(JobContext<EmailInput> context, CancellationToken cancellationToken)
    {
        probe.Record($"{context.Input.To}:{context.Attempt}");
        throw context.Input.To switch
        {
            "poison" => new PoisonMessageException("cannot be parsed"),
            "invalid" => new System.ComponentModel.DataAnnotations.ValidationException("To is not an address"),
            "custom" => new TimeoutException("the predicate says no"),
            _ => new InvalidOperationException("outer", new IOException("inner cause")),
        };
    }
}

/// <summary>Reports progress many times in a row without the clock moving, then once more.</summary>
public sealed class ChattyHandler(HandlerProbe probe) : IJobHandler<EmailInput>
{
    public async ValueTask HandleAsync(JobContext<EmailInput> context, CancellationToken cancellationToken)
    {
        for (int i = 1; i <= 100; i++)
        {
            await context.ReportProgressAsync(i / 200.0, $"step {i}", cancellationToken);
        }

        probe.Record("done");
    }
}

/// <summary>Emits the event its own plan waits for, addressed to its own job.</summary>
public sealed class SelfConfirmingHandler : IJobHandler<EmailInput>
{
    public async ValueTask HandleAsync(JobContext<EmailInput> context, CancellationToken cancellationToken)
    {
        await context.EmitAsync(
            new IncomingEvent
            {
                EventId = EventId.Parse($"{context.JobId}-confirmed"),
                Type = EventTypeId.Parse("email.confirmed"),
                JobId = context.JobId,
                OccurredAt = DateTimeOffset.UnixEpoch,
            },
            cancellationToken);
    }
}

/// <summary>Waits on the job's clock forever (until its token is cancelled): for attempt timeouts.</summary>
public sealed class HangingHandler(HandlerProbe probe, TimeProvider time) : IJobHandler<EmailInput>
{
    public async ValueTask HandleAsync(JobContext<EmailInput> context, CancellationToken cancellationToken)
    {
        using IDisposable running = probe.Enter();
        probe.Record($"{context.Input.To}:{context.Attempt}");
        if (context.Attempt == 1)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
        }
    }
}

/// <summary>A unit of work that writes what happened to the probe.</summary>
public sealed class RecordingUnitOfWork(HandlerProbe probe) : IJobUnitOfWork
{
    public ValueTask BeginAsync(JobAttemptInfo attempt, CancellationToken cancellationToken)
    {
        probe.Record($"begin {attempt.Attempt}");
        return ValueTask.CompletedTask;
    }

    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        probe.Record("commit");
        return ValueTask.CompletedTask;
    }

    public ValueTask RollbackAsync(CancellationToken cancellationToken)
    {
        probe.Record("rollback");
        return ValueTask.CompletedTask;
    }
}

/// <summary>Starts two child jobs (deterministic request ids, so a retry does not start them twice).</summary>
public sealed class FanOutHandler : IJobHandler<EmailInput>
{
    public async ValueTask HandleAsync(JobContext<EmailInput> context, CancellationToken cancellationToken)
    {
        foreach (string to in new[] { "one", "two" })
        {
            await context.StartChildJobAsync(
                new CreateJobRequest
                {
                    JobType = JobType.Parse("send-email"),
                    RequestId = EventId.Parse($"{context.JobId}-child-{to}"),
                    Input = System.Text.Json.JsonSerializer.SerializeToElement(new EmailInput($"{context.Input.To}-{to}")),
                },
                cancellationToken);
        }
    }
}

/// <summary>Fails its first attempt; records, for every attempt, the handler instance and its scoped dependency.</summary>
public sealed class ScopeRecordingHandler(AttemptScopeProbe scoped, HandlerProbe probe) : IJobHandler<EmailInput>
{
    public ValueTask HandleAsync(JobContext<EmailInput> context, CancellationToken cancellationToken)
    {
        probe.RecordScope(context.Attempt, this, scoped);
        return context.Attempt == 1 ? throw new InvalidOperationException("attempt 1 fails") : ValueTask.CompletedTask;
    }
}
