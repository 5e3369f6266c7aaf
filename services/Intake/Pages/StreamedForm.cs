using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Closely.Intake.Pages;

/// <summary>A file from a form: its content when it fits the limit, otherwise only its length.</summary>
public sealed record UploadedFile(string FileName, byte[]? Content, long Length)
{
    public bool TooLarge => Content is null;
}

/// <summary>A form's text fields and at most one file, read as a stream.</summary>
public sealed record StreamedForm(IFormCollection Fields, UploadedFile? File)
{
    /// <summary>Text fields longer than this keep only their start (every field's own limit is far lower).</summary>
    public const int MaxFieldBytes = 64 * 1024;

    private const int MaxSections = 64;

    /// <summary>
    /// Reads a <c>multipart/form-data</c> body without buffering it: text fields in memory, the file named
    /// <paramref name="fileField"/> up to <paramref name="maxFileBytes"/>; a larger file is read to its end and
    /// discarded, so the page can still answer the browser and keep what was typed. Other forms are read the
    /// usual way. Makes the fields the request's form, so antiforgery validation sees them. Returns null when
    /// the body is not a form.
    /// </summary>
    public static async Task<StreamedForm?> ReadAsync(HttpRequest request, string fileField, int maxFileBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return request.HasFormContentType ? new StreamedForm(await request.ReadFormAsync(cancellationToken), null) : null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return null;
        }

        var reader = new MultipartReader(boundary, request.Body);
        var fields = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        UploadedFile? file = null;
        var sections = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (++sections > MaxSections)
            {
                return null;
            }

            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !(disposition.IsFormDisposition() || disposition.IsFileDisposition()))
            {
                await ReadUpToAsync(section.Body, 0, cancellationToken);
                continue;
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                var wanted = file is null && string.Equals(name, fileField, StringComparison.OrdinalIgnoreCase);
                var (content, length) = await ReadUpToAsync(section.Body, wanted ? maxFileBytes : 0, cancellationToken);
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                if (wanted && (fileName.Length > 0 || length > 0))
                {
                    file = new UploadedFile(fileName, length > maxFileBytes ? null : content, length);
                }

                continue;
            }

            var (bytes, _) = await ReadUpToAsync(section.Body, MaxFieldBytes, cancellationToken);
            var value = Encoding.UTF8.GetString(bytes);
            fields[name] = fields.TryGetValue(name, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);
        }

        var form = new FormCollection(fields);
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(form));
        return new StreamedForm(form, file);
    }

    /// <summary>Reads <paramref name="body"/> to its end, keeping at most <paramref name="limit"/> bytes; returns them and the full length.</summary>
    private static async Task<(byte[] Kept, long Length)> ReadUpToAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var keep = (int)Math.Clamp(limit - length, 0, read);
            kept.Write(buffer, 0, keep);
            length += read;
        }

        return (kept.ToArray(), length);
    }
}
