using System.Collections.Concurrent;
using System.Net;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Identity.Persistence;
using Closely.IntegrationTests.Infrastructure;
using Closely.Notification.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Closely.IntegrationTests.Identity;

/// <summary>
/// Identity on a fake clock, with the test's recorders on the notification queue (Notification is not running) and on
/// <see cref="IdentityVerified"/>; the requester's browser keeps cookies and follows no redirects.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class EmailLinkVerificationTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Email = "ada.lovelace@example.org";
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(72);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ServiceHost<IdentityDbContext> _host = null!;
    private HttpClient _browser = null!;
    private ConcurrentBag<SendNotification> _notifications = null!;
    private ConcurrentBag<IdentityVerified> _verified = null!;

    public async Task InitializeAsync()
    {
        _host = await ServiceHost<IdentityDbContext>.StartAsync(servers, "identity", options =>
        {
            options.Clock = _clock;
            options.Settings["Identity:LinkLifetime"] = LinkLifetime.ToString();
            options.Settings["Identity:PublicBaseUrl"] = "http://localhost";
        });
        _notifications = await _host.RecordAsync<SendNotification>(CommandQueues.SendNotification);
        _verified = await _host.RecordAsync<IdentityVerified>();
        _browser = _host.CreateClient(new() { AllowAutoRedirect = false });
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task VerifyIdentity_sends_one_link_and_the_same_command_again_sends_none()
    {
        var command = Command();

        await _host.SendAsync(CommandQueues.VerifyIdentity, command);
        var notification = await NotificationAsync(command.CaseId);

        Assert.Equal("verify-identity", notification.Template);
        Assert.Equal(Email, notification.RecipientEmail(servers.Protector()));
        Assert.Equal(command.Reference, notification.Values(servers.Protector())["reference"]);
        Assert.Matches(@"^http://localhost/verify\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+&lang=en$", notification.Values(servers.Protector())["link"]);
        Assert.Equal(notification.NotificationKey, "verify-" + TokenOf(notification).Split('.')[0]);
        Assert.Equal("en", notification.Language);
        var expiresAt = DateTimeOffset.Parse(notification.Values(servers.Protector())["expiresAt"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((_clock.GetUtcNow() + LinkLifetime).ToUnixTimeSeconds(), expiresAt.ToUnixTimeSeconds());

        // The email Notification will render from it: every placeholder has its value.
        var email = new TemplateRenderer(TemplateRenderer.DefaultDirectory).Render(notification.Template, notification.Language, notification.Values(servers.Protector()));
        Assert.Contains(command.Reference, email.Subject, StringComparison.Ordinal);
        Assert.Contains(notification.Values(servers.Protector())["link"], email.Body, StringComparison.Ordinal);

        await _host.SendAsync(CommandQueues.VerifyIdentity, command);
        await _host.WaitForHandledAsync<VerifyIdentity>(c => c.CaseId == command.CaseId, count: 2);
        Assert.Single(_host.Sent<SendNotification>(n => n.CaseId == command.CaseId));
        Assert.Single(_notifications, n => n.CaseId == command.CaseId);

        await using var db = PlatformDatabase.Identity(_host.Database, servers.Protector());
        var row = await db.Verifications.SingleAsync(v => v.CaseId == command.CaseId);
        Assert.Equal(command.RequesterEmail(servers.Protector()), row.RequesterEmail);
        var stored = await db.Database.SqlQuery<byte[]>($"SELECT requester_email_encrypted AS \"Value\" FROM identity.verifications WHERE token_id = {row.TokenId}").SingleAsync();
        Assert.DoesNotContain("lovelace", System.Text.Encoding.UTF8.GetString(stored), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Opening_the_link_verifies_nothing_and_the_confirm_button_verifies_once()
    {
        var command = Command();
        await _host.SendAsync(CommandQueues.VerifyIdentity, command);
        var link = LinkPath(await NotificationAsync(command.CaseId));

        var page = await GetPageAsync(link, HttpStatusCode.OK);
        Assert.Contains($"Confirm your request {command.Reference}", page, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\"", page, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">", page, StringComparison.Ordinal);
        // A confirmation is published while the page answers: none was.
        Assert.Empty(_host.Published<IdentityVerified>(v => v.CaseId == command.CaseId));
        Assert.DoesNotContain(_verified, v => v.CaseId == command.CaseId);

        var confirmed = await SubmitAsync(page, HttpStatusCode.OK);
        Assert.Contains("Thank you, your request is confirmed", confirmed, StringComparison.Ordinal);
        await TestSettings.EventuallyAsync(
            () => Task.FromResult(_verified.Any(v => v.CaseId == command.CaseId)), "IdentityVerified", TimeSpan.FromSeconds(10));
        Assert.Equal("email-link", _verified.Single(v => v.CaseId == command.CaseId).Method);

        var again = await SubmitAsync(page, HttpStatusCode.OK);
        Assert.Contains("already been used", again, StringComparison.Ordinal);
        Assert.Contains("already been used", await GetPageAsync(link, HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Single(_host.Published<IdentityVerified>(v => v.CaseId == command.CaseId));
        Assert.Single(_verified, v => v.CaseId == command.CaseId);
    }

    [Fact]
    public async Task An_expired_link_confirms_nothing_and_offers_a_new_link()
    {
        var command = Command();
        await _host.SendAsync(CommandQueues.VerifyIdentity, command);
        var first = await NotificationAsync(command.CaseId);
        var validPage = await GetPageAsync(LinkPath(first), HttpStatusCode.OK);

        _clock.Advance(LinkLifetime + TimeSpan.FromMinutes(1));

        var expiredPage = await GetPageAsync(LinkPath(first), HttpStatusCode.Gone);
        Assert.Contains("This link has expired", expiredPage, StringComparison.Ordinal);
        Assert.Contains("Send me a new link", expiredPage, StringComparison.Ordinal);
        var refused = await SubmitAsync(validPage, HttpStatusCode.Gone);
        Assert.Contains("This link has expired", refused, StringComparison.Ordinal);

        var renewed = await SubmitAsync(expiredPage, HttpStatusCode.OK);
        Assert.Contains("We have sent you a new link", renewed, StringComparison.Ordinal);
        await TestSettings.EventuallyAsync(
            () => Task.FromResult(_notifications.Count(n => n.CaseId == command.CaseId) == 2), "a second link", TimeSpan.FromSeconds(10));
        var second = _notifications.Single(n => n.CaseId == command.CaseId && n.NotificationKey != first.NotificationKey);
        Assert.NotEqual(first.Values(servers.Protector())["link"], second.Values(servers.Protector())["link"]);
        Assert.Equal(Email, second.RecipientEmail(servers.Protector()));
        Assert.Contains($"Confirm your request {command.Reference}", await GetPageAsync(LinkPath(second), HttpStatusCode.OK), StringComparison.Ordinal);

        // Asking again while the new link is valid keeps that link: no third one is minted or mailed (the send is
        // part of the POST, and Sent records it synchronously).
        Assert.Contains("We have sent you a new link", await SubmitAsync(expiredPage, HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Equal(2, _host.Sent<SendNotification>(n => n.CaseId == command.CaseId).Count);

        Assert.Empty(_host.Published<IdentityVerified>(v => v.CaseId == command.CaseId));
        Assert.DoesNotContain(_verified, v => v.CaseId == command.CaseId);
    }

    [Fact]
    public async Task A_german_case_gets_a_german_link_whose_pages_and_renewed_link_stay_german()
    {
        var command = Command() with { Language = "de" };
        await _host.SendAsync(CommandQueues.VerifyIdentity, command);
        var first = await NotificationAsync(command.CaseId);
        Assert.Equal("de", first.Language);
        Assert.EndsWith("&lang=de", first.Values(servers.Protector())["link"], StringComparison.Ordinal);

        // Opened without any language preference of the browser's own: the link's language decides.
        var page = await GetPageAsync(LinkPathAndQuery(first), HttpStatusCode.OK);
        Assert.Contains("<html lang=\"de\">", page, StringComparison.Ordinal);
        Assert.Contains($"Bestätigen Sie Ihren Antrag {command.Reference}", page, StringComparison.Ordinal);
        Assert.Contains(">Antrag bestätigen</button>", page, StringComparison.Ordinal);
        Assert.Contains("hreflang=\"en\"", page, StringComparison.Ordinal);

        _clock.Advance(LinkLifetime + TimeSpan.FromMinutes(1));
        var expired = await GetPageAsync(LinkPath(first), HttpStatusCode.Gone);
        Assert.Contains("Dieser Link ist abgelaufen", expired, StringComparison.Ordinal);
        var renewed = await SubmitAsync(expired, HttpStatusCode.OK);
        Assert.Contains("Wir haben Ihnen einen neuen Link gesendet", renewed, StringComparison.Ordinal);
        await TestSettings.EventuallyAsync(
            () => Task.FromResult(_notifications.Count(n => n.CaseId == command.CaseId) == 2), "a second link", TimeSpan.FromSeconds(10));
        var second = _notifications.Single(n => n.CaseId == command.CaseId && n.NotificationKey != first.NotificationKey);
        Assert.Equal("de", second.Language);
        Assert.EndsWith("&lang=de", second.Values(servers.Protector())["link"], StringComparison.Ordinal);

        // A visitor who switches to English gets English, and the choice is remembered.
        Assert.Contains("Confirm your request", await GetPageAsync(LinkPath(second) + "&lang=en", HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Contains("Confirm your request", await GetPageAsync(LinkPath(second), HttpStatusCode.OK), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_with_a_tampered_signature_is_not_valid()
    {
        var command = Command();
        await _host.SendAsync(CommandQueues.VerifyIdentity, command);
        var link = LinkPath(await NotificationAsync(command.CaseId));
        var validPage = await GetPageAsync(link, HttpStatusCode.OK);
        var tampered = link[..^1] + (link[^1] == 'A' ? 'B' : 'A');

        Assert.Contains("This link is not valid", await GetPageAsync(tampered, HttpStatusCode.NotFound), StringComparison.Ordinal);
        var posted = await SubmitAsync(validPage, HttpStatusCode.NotFound, tampered);
        Assert.Contains("This link is not valid", posted, StringComparison.Ordinal);
        Assert.Empty(_host.Published<IdentityVerified>(v => v.CaseId == command.CaseId));
        Assert.DoesNotContain(_verified, v => v.CaseId == command.CaseId);
    }

    private VerifyIdentity Command()
    {
        var caseId = Guid.NewGuid();
        return new()
        {
            CaseId = caseId,
            Reference = "DSR-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(),
            SealedRequesterEmail = servers.Seal(caseId, BusSeal.RequesterEmail, Email),
        };
    }

    private async Task<SendNotification> NotificationAsync(Guid caseId)
    {
        await TestSettings.EventuallyAsync(
            () => Task.FromResult(_notifications.Any(n => n.CaseId == caseId)), "the verification email", TimeSpan.FromSeconds(15));
        return _notifications.Single(n => n.CaseId == caseId);
    }

    [Fact]
    public async Task A_token_in_the_path_as_links_had_it_before_is_not_accepted()
    {
        var command = Command();
        await _host.SendAsync(CommandQueues.VerifyIdentity, command);
        var token = TokenOf(await NotificationAsync(command.CaseId));

        // Links once carried the token in the path, which request logs and spans record: such a token is worth nothing.
        using var response = await _browser.GetAsync(new Uri("/verify/" + token, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Confirm your request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The link without its language: <c>/verify?token=…</c>.</summary>
    private string LinkPath(SendNotification notification) => "/verify?token=" + TokenOf(notification);

    private string TokenOf(SendNotification notification) =>
        System.Web.HttpUtility.ParseQueryString(new Uri(notification.Values(servers.Protector())["link"]).Query)["token"]!;

    private string LinkPathAndQuery(SendNotification notification) => new Uri(notification.Values(servers.Protector())["link"]).PathAndQuery;

    private async Task<string> GetPageAsync(string path, HttpStatusCode expected)
    {
        using var response = await _browser.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {path}: {response.StatusCode}\n{html}");
        Assert.Contains("<main>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>", html, StringComparison.Ordinal);
        return html;
    }

    private Task<string> SubmitAsync(string page, HttpStatusCode expected, string? action = null) =>
        HtmlForms.SubmitAsync(_browser, page, expected, action);
}
