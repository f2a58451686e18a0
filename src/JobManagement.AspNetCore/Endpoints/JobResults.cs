using Microsoft.AspNetCore.Http;

namespace JobManagement.AspNetCore;

/// <summary>JSON answers written with <see cref="JobManagementJson.Options"/> (camel case, enums and ids as strings), whatever the host's JSON settings.</summary>
internal static class JobResults
{
    public static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, JobManagementJson.Options, contentType: "application/json", statusCode: statusCode);
}
