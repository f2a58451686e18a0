using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace JobManagement.AspNetCore;

/// <summary>
/// Reads a JSON request body with a hard size limit, enforced here (so it holds on every server, the
/// test server included) and handed to the server too (so Kestrel stops reading early).
/// </summary>
internal static class RequestBody
{
    /// <summary>Reads and deserializes the body; an empty body gives <paramref name="whenEmpty"/>, or a 400 when it is null.</summary>
    /// <exception cref="BadHttpRequestException">413: the body is over the limit; 415: it is not JSON.</exception>
    /// <exception cref="RequestFieldException">400: the body is missing or not valid JSON for <typeparamref name="T"/>.</exception>
    public static async ValueTask<T> ReadAsync<T>(HttpContext context, long limit, T? whenEmpty, CancellationToken cancellationToken)
        where T : class
    {
        HttpRequest request = context.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        byte[] body = await ReadBoundedAsync(request.Body, limit, cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return whenEmpty ?? throw new RequestFieldException("body", "A JSON body is required.");
        }

        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException("The body must be JSON (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body, JobManagementJson.Options)
                ?? whenEmpty
                ?? throw new RequestFieldException("body", "A JSON object is required, not null.");
        }
        catch (JsonException exception)
        {
            throw new RequestFieldException(FieldNames.FromJsonPath(exception.Path), "Not valid JSON for this field: " + exception.Message);
        }
    }

    private static async ValueTask<byte[]> ReadBoundedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            Memory<byte> free = buffer.GetMemory(4096);
            int read = await body.ReadAsync(free, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw TooLarge(limit);
            }
        }
    }

    private static BadHttpRequestException TooLarge(long limit) =>
        new($"The request body is larger than {limit} bytes (JobEndpointsOptions.MaxRequestBodyBytes).", StatusCodes.Status413PayloadTooLarge);
}
