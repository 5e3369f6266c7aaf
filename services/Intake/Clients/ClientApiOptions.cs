using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Clients;

/// <summary>
/// The client companies allowed to use the client API, from <c>Intake:Clients:&lt;clientId&gt;</c>, and the
/// per-client rate limit, from <c>Intake:ClientRateLimit</c>.
/// </summary>
public sealed class ClientApiOptions
{
    public const string SectionName = "Intake";

    /// <summary>Each client by its id (lower-case letters, digits and dashes, at most 64 characters).</summary>
    public Dictionary<string, ClientRegistration> Clients { get; set; } = new(StringComparer.Ordinal);

    public ClientRateLimitOptions ClientRateLimit { get; set; } = new();

    public ClientCallbackOptions ClientCallbacks { get; set; } = new();

    public sealed class ClientRateLimitOptions
    {
        /// <summary>Calls one client may make per minute, all client routes together.</summary>
        public int PermitsPerMinute { get; set; } = 120;
    }

    public sealed class ClientCallbackOptions
    {
        /// <summary>
        /// Whether callbacks may go to loopback, private and link-local addresses: only for trying the client API on
        /// one machine (appsettings.Development.json); never in production, where it would let a client's URL reach
        /// the platform's own network.
        /// </summary>
        public bool AllowPrivateNetworks { get; set; }
    }
}

/// <summary>One client company.</summary>
public sealed class ClientRegistration
{
    /// <summary>
    /// Lower-case hex SHA-256 of the client's API key (<c>printf %s "$KEY" | sha256sum</c>). The key
    /// itself is never configured or stored.
    /// </summary>
    public string? ApiKeyHash { get; set; }

    /// <summary>Where status callbacks go; https, or http on loopback only. Without it the client gets no callbacks.</summary>
    public Uri? CallbackUrl { get; set; }

    /// <summary>The HMAC-SHA256 key callbacks are signed with, shared with the client; at least 32 characters.</summary>
    public string? CallbackSecret { get; set; }
}

/// <summary>Checks every client at start-up and names the bad key.</summary>
public sealed partial class ClientApiOptionsValidator : IValidateOptions<ClientApiOptions>
{
    public const int MinimumCallbackSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, ClientApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.ClientRateLimit.PermitsPerMinute < 1)
        {
            errors.Add("Intake:ClientRateLimit:PermitsPerMinute must be at least 1.");
        }

        var hashes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, client) in options.Clients)
        {
            var key = $"Intake:Clients:{id}";
            if (!ClientIdPattern().IsMatch(id))
            {
                errors.Add($"{key}: a client id must be 1 to 64 lower-case letters, digits or dashes.");
            }

            if (client.ApiKeyHash is null || !ApiKeyHashPattern().IsMatch(client.ApiKeyHash))
            {
                errors.Add($"{key}:ApiKeyHash must be the hex SHA-256 of the client's API key (64 characters).");
            }
            else if (!hashes.TryAdd(client.ApiKeyHash, id))
            {
                errors.Add($"{key}:ApiKeyHash is the same as client {hashes[client.ApiKeyHash]}'s: every client needs its own key.");
            }

            if (client.CallbackUrl is { } url)
            {
                if (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
                {
                    errors.Add($"{key}:CallbackUrl must be an absolute https URL (http only on loopback).");
                }

                if (client.CallbackSecret is null || client.CallbackSecret.Length < MinimumCallbackSecretLength)
                {
                    errors.Add($"{key}:CallbackSecret must be set, at least {MinimumCallbackSecretLength} characters, when CallbackUrl is.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex ClientIdPattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex ApiKeyHashPattern();
}
