namespace JobManagement;

/// <summary>
/// A request to the engine has a bad field. Derives from <see cref="ArgumentException"/>, whose
/// <see cref="ArgumentException.ParamName"/> is the path of the field (for example
/// <c>request.Correlation</c>); <see cref="Field"/> is the field's own name. Nothing was appended.
/// </summary>
public sealed class InvalidJobRequestException : ArgumentException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="parameter">The method parameter that carried the field.</param>
    /// <param name="field">The field at fault.</param>
    /// <param name="reason">Why it is not acceptable.</param>
    public InvalidJobRequestException(string parameter, string field, string reason)
        : base(reason, $"{parameter}.{field}")
    {
        Field = field;
        Reason = reason;
    }

    /// <summary>Gets the field at fault, such as <c>Correlation</c>.</summary>
    public string Field { get; }

    /// <summary>Gets why the field is not acceptable.</summary>
    public string Reason { get; }
}
