using System.Net;
using System.Text.RegularExpressions;
using Closely.Cases;
using Closely.Cases.DpoConsole;
using Closely.IntegrationTests.Infrastructure;
using OtpNet;

namespace Closely.IntegrationTests.Cases;

/// <summary>A console user of the tests, with the password and the TOTP secret it signs in with.</summary>
public sealed record ConsoleTestUser(string Name, string Password, string Role, string? TotpSecret)
{
    /// <summary>The code the user's authenticator app shows at <paramref name="at"/> (now by default).</summary>
    public string Code(DateTimeOffset? at = null) =>
        TotpSecret is null ? "" : new Totp(Base32Encoding.ToBytes(TotpSecret)).ComputeTotp((at ?? DateTimeOffset.UtcNow).UtcDateTime);
}

/// <summary>
/// The console users every Cases service in the tests has (<see cref="Dpo"/> with a second factor, <see cref="Viewer"/>
/// without), and signing in over HTTP as a browser would: the form's antiforgery token, the cookie kept.
/// </summary>
public static partial class ConsoleSignIn
{
    public static readonly ConsoleTestUser Dpo = new("dana", "correct horse battery staple", ConsoleRoles.Dpo, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");

    public static readonly ConsoleTestUser Viewer = new("victor", "viewer's own long password", ConsoleRoles.Viewer, null);

    // Each hash costs 600,000 PBKDF2 rounds: made once per run.
    private static readonly Lazy<Dictionary<string, string?>> UserSettings = new(() => new[] { Dpo, Viewer }
        .SelectMany(u => new KeyValuePair<string, string?>[]
        {
            new($"Console:Users:{u.Name}:PasswordHash", ConsolePasswordHash.Hash(u.Password)),
            new($"Console:Users:{u.Name}:Role", u.Role),
            new($"Console:Users:{u.Name}:TotpSecret", u.TotpSecret ?? ""),
        })
        .ToDictionary());

    /// <summary>The settings of <see cref="Dpo"/> and <see cref="Viewer"/>.</summary>
    public static IReadOnlyDictionary<string, string?> Settings => UserSettings.Value;

    /// <summary>Posts the sign-in form with <paramref name="client"/>'s cookies; the response is the sign-in's own (no redirect followed).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string userName, string password, string? code)
    {
        ArgumentNullException.ThrowIfNull(client);
        var form = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups["value"].Value),
            ["userName"] = userName,
            ["password"] = password,
            ["code"] = code ?? "",
        });
        return await client.PostAsync(new Uri("/signin", UriKind.Relative), content);
    }

    /// <summary>A client of the service signed in as <paramref name="user"/> with its current code; it follows no redirects.</summary>
    public static async Task<HttpClient> SignedInClientAsync(this ServiceHost<CasesOptions> host, ConsoleTestUser user, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(user);
        var client = host.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await PostAsync(client, user.Name, user.Password, user.Code(now));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"signing in as {user.Name}: {response.StatusCode}");
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
