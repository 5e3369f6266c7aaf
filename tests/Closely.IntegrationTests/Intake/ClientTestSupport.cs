using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Closely.IntegrationTests.Intake;

/// <summary>Two client companies, their keys and requests for the client API tests.</summary>
public static class ClientTestSupport
{
    public const string AcmeKey = "acme-test-key-9f0b6c4e2d1a8b7c";
    public const string GlobexKey = "globex-test-key-1e2d3c4b5a697887";
    public const string CallbackSecret = "test-callback-secret-0123456789abcdef";
    public const string Email = "grace.hopper@example.org";
    public const string FullName = "Grace Hopper";

    public static readonly Uri Requests = new("/api/client/v1/requests", UriKind.Relative);

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Settings configuring acme (with a callback URL when given) and globex.</summary>
    public static Dictionary<string, string?> Clients(Uri? acmeCallbackUrl = null, int permitsPerMinute = 1000)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Intake:Clients:acme:ApiKeyHash"] = HashOf(AcmeKey),
            ["Intake:Clients:globex:ApiKeyHash"] = HashOf(GlobexKey),
            ["Intake:ClientRateLimit:PermitsPerMinute"] = permitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (acmeCallbackUrl is not null)
        {
            settings["Intake:Clients:acme:CallbackUrl"] = acmeCallbackUrl.ToString();
            settings["Intake:Clients:acme:CallbackSecret"] = CallbackSecret;
        }

        return settings;
    }

    public static JsonContent Body(string details = "Please erase me; I was a customer of Acme.") =>
        JsonContent.Create(new { type = "erasure", email = Email, fullName = FullName, details });

    public static HttpRequestMessage Post(string? apiKey, string? idempotencyKey, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Requests) { Content = content };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    public static HttpRequestMessage Get(string? apiKey, Guid id)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{Requests}/{id}", UriKind.Relative));
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return request;
    }

    public static async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
