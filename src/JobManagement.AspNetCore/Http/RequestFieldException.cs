namespace JobManagement.AspNetCore;

/// <summary>A request's field (in the JSON body, the route or the query string) is missing or malformed: answered 400 naming it.</summary>
internal sealed class RequestFieldException(string field, string reason) : Exception(reason)
{
    /// <summary>Gets the field as the client spelled it (camel case, dotted for nested fields).</summary>
    public string Field { get; } = field;
}
