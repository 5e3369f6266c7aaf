using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>
/// The SMTP sink the tests' Notification sends to (maildev; <c>CLOSELY_TEST_SMTP</c> is its host:port) and its REST
/// API (<c>CLOSELY_TEST_MAILDEV</c>). Tests tell their mail apart by unique recipient addresses.
/// </summary>
public static class MailDev
{
    /// <summary>The SMTP server, or null when the environment names none.</summary>
    public static (string Host, int Port)? Smtp { get; } =
        Environment.GetEnvironmentVariable("CLOSELY_TEST_SMTP") is { Length: > 0 } smtp
            ? (smtp[..smtp.LastIndexOf(':')], int.Parse(smtp[(smtp.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            : null;

    /// <summary>The mails maildev holds for <paramref name="address"/>.</summary>
    public static async Task<IReadOnlyList<Email>> MailsToAsync(string address) =>
        (await MailsAsync()).Where(m => m.IsTo(address)).ToList();

    /// <summary>Every mail maildev holds (a test that waits for many recipients at once reads them in one call).</summary>
    public static async Task<IReadOnlyList<Email>> MailsAsync()
    {
        var maildev = Environment.GetEnvironmentVariable("CLOSELY_TEST_MAILDEV")
            ?? throw new InvalidOperationException("CLOSELY_TEST_MAILDEV (the maildev web URL) is not set; run with ./test.sh.");
        using var http = new HttpClient { BaseAddress = new Uri(maildev) };
        return await http.GetFromJsonAsync<List<Email>>(new Uri("/api/email", UriKind.Relative)) ?? [];
    }

    /// <summary>Waits until maildev holds a mail for <paramref name="address"/> that <paramref name="match"/> accepts, and returns it.</summary>
    public static async Task<Email> MailToAsync(string address, Func<Email, bool> match, string what)
    {
        Email? mail = null;
        await TestSettings.EventuallyAsync(async () =>
        {
            mail = (await MailsToAsync(address)).FirstOrDefault(match);
            return mail is not null;
        }, what + " in maildev", TimeSpan.FromSeconds(60));
        return mail!;
    }

    public sealed record Email(
        [property: JsonPropertyName("subject")] string Subject,
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("to")] IReadOnlyList<Recipient> To,
        [property: JsonPropertyName("headers")] IReadOnlyDictionary<string, System.Text.Json.JsonElement> Headers)
    {
        public string? MessageId => Headers.TryGetValue("message-id", out var id) ? id.GetString() : null;

        public bool IsTo(string address) => To.Any(t => string.Equals(t.Address, address, StringComparison.OrdinalIgnoreCase));
    }

    public sealed record Recipient([property: JsonPropertyName("address")] string Address);
}
