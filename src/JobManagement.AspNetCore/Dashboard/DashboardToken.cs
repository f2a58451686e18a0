using System.Security.Cryptography;
using System.Text;

namespace JobManagement.AspNetCore;

/// <summary>
/// The application's anti-forgery token for browser writes: random, made once per process, embedded in
/// the dashboard page and required (header <see cref="HeaderName"/>) on every POST a browser sends to
/// the job endpoints. Another site cannot read the page, so it cannot learn the token.
/// </summary>
internal sealed class DashboardToken
{
    /// <summary>The request header that carries the token.</summary>
    public const string HeaderName = "X-JobManagement-Csrf";

    private readonly byte[] _bytes;

    public DashboardToken()
    {
        Value = Base64Url(RandomNumberGenerator.GetBytes(32));
        _bytes = Encoding.ASCII.GetBytes(Value);
    }

    /// <summary>Gets the token, URL-safe base 64.</summary>
    public string Value { get; }

    /// <summary>Compares in constant time.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(_bytes, Encoding.ASCII.GetBytes(candidate));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
