namespace JobManagement;

/// <summary>
/// Marks an exception type whose failures are never retried: the job fails and is dead-lettered at
/// once. Validation errors (<see cref="System.ComponentModel.DataAnnotations.ValidationException"/>,
/// <see cref="ArgumentException"/>, <see cref="InvalidJobRequestException"/>) are never retried either.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class NonRetryableAttribute : Attribute
{
}
