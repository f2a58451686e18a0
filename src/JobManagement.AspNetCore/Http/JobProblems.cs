using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobManagement.AspNetCore;

/// <summary>Answers the engine's and the request's errors as RFC 9457 problem details.</summary>
internal static class JobProblems
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (RequestFieldException exception)
        {
            return Invalid(exception.Field, exception.Message);
        }
        catch (InvalidJobRequestException exception)
        {
            return Invalid(FieldNames.Json(exception.Field), exception.Reason);
        }
        catch (JobTypeNotRegisteredException exception)
        {
            return Invalid("jobType", exception.Message);
        }
        catch (JobNotFoundException exception)
        {
            return NotFound(exception.JobId);
        }
        catch (JobAlreadyExistsException exception)
        {
            return Conflict("Job already exists", exception.Message);
        }
        catch (JobNotReplayableException exception)
        {
            return Conflict("Job is not replayable", exception.Message);
        }
        catch (BadHttpRequestException exception)
        {
            return TypedResults.Problem(statusCode: exception.StatusCode, detail: exception.Message);
        }
        catch (ArgumentException exception)
        {
            return Invalid(FieldNames.Json(exception.ParamName), exception.Message);
        }
    }

    /// <summary>404 for a job that does not exist.</summary>
    public static ProblemHttpResult NotFound(JobId jobId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Job not found", detail: $"Job '{jobId}' does not exist.");

    /// <summary>400 naming the field.</summary>
    public static ValidationProblem Invalid(string field, string reason) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] }, detail: $"{field}: {reason}");

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
