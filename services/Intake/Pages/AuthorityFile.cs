namespace Closely.Intake.Pages;

/// <summary>The file types an agent's written authority may have, told apart by their first bytes only.</summary>
public static class AuthorityFile
{
    private static readonly (byte[] Signature, string ContentType)[] Types =
    [
        ("%PDF-"u8.ToArray(), "application/pdf"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "image/png"),
        ([0xFF, 0xD8, 0xFF], "image/jpeg"),
    ];

    /// <summary>
    /// The content type <paramref name="content"/> really has (PDF, PNG or JPEG), or null for anything else,
    /// whatever the file's name or declared type says.
    /// </summary>
    public static string? SniffContentType(ReadOnlySpan<byte> content)
    {
        foreach (var (signature, contentType) in Types)
        {
            if (content.StartsWith(signature))
            {
                return contentType;
            }
        }

        return null;
    }

    /// <summary>The file's own name without any folder a browser may send, at most 255 characters; "authority" when empty.</summary>
    public static string SafeFileName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var name = fileName.Replace('\\', '/').Split('/')[^1].Trim();
        name = new string(name.Where(c => !char.IsControl(c)).ToArray());
        return name.Length == 0 ? "authority" : name[..Math.Min(name.Length, 255)];
    }
}
