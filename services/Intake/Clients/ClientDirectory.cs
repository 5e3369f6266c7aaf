using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Clients;

/// <summary>A configured client, its API key known only by its hash.</summary>
public sealed record Client(string Id, byte[] ApiKeyHash, Uri? CallbackUrl, string? CallbackSecret);

/// <summary>The configured clients: finds a client by its API key, comparing hashes in constant time.</summary>
public sealed class ClientDirectory
{
    private readonly IReadOnlyList<Client> _clients;

    public ClientDirectory(IOptions<ClientApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = options.Value.Clients
            .Select(c => new Client(c.Key, Convert.FromHexString(c.Value.ApiKeyHash!), c.Value.CallbackUrl, c.Value.CallbackSecret))
            .ToList();
    }

    /// <summary>The hash a key is configured by: SHA-256 of its UTF-8 bytes.</summary>
    public static byte[] HashKey(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    /// <summary>
    /// The client holding <paramref name="apiKey"/>, or null. Every configured hash is compared, in constant
    /// time, so the answer takes as long whichever client (if any) the key belongs to.
    /// </summary>
    public Client? FindByApiKey(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        var hash = HashKey(apiKey);
        Client? found = null;
        foreach (var client in _clients)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, client.ApiKeyHash))
            {
                found = client;
            }
        }

        return found;
    }

    public Client? Find(string clientId) => _clients.FirstOrDefault(c => string.Equals(c.Id, clientId, StringComparison.Ordinal));
}
