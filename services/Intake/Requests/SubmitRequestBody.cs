using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Closely.Intake.Requests;

/// <summary>
/// A JSON <see cref="SubmitRequest"/> read from a request body of bounded size (Content-Length is not
/// trusted) and validated: either the body and the valid request, or the problem to answer with — 415 unless the
/// body is declared JSON (so that no cross-site <c>text/plain</c> form can submit a request, ADR 35), 413 when too
/// large, 400 naming the invalid fields. Shared by the public request API and the client API.
/// </summary>
public sealed record SubmitRequestBody(byte[] Body, ValidSubmitRequest? Valid, ProblemHttpResult? Refused, ValidationProblem? Invalid)
{
    public static async Task<SubmitRequestBody> ReadAsync(HttpRequest http, int limit, IEnumerable<string> platformDomains, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!IsJson(http.ContentType))
        {
            return new SubmitRequestBody([], null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: "Send the request as application/json."), null);
        }

        var body = await ReadBoundedAsync(http, limit, cancellationToken);
        if (body is null)
        {
            return new SubmitRequestBody([], null, TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request body too large",
                detail: $"The request body may be at most {limit} bytes."), null);
        }

        SubmitRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<SubmitRequest>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            return new SubmitRequestBody(body, null, null, TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = ["Must be a JSON object with type, email, fullName and details."] }));
        }

        var errors = request.Validate(out var valid, platformDomains);
        return new SubmitRequestBody(body, valid, null, valid is null ? TypedResults.ValidationProblem(errors) : null);
    }

    /// <summary><c>application/json</c> or a JSON-suffixed type such as <c>application/merge-patch+json</c>, with any charset.</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpRequest http, int limit, CancellationToken cancellationToken)
    {
        if (http.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
