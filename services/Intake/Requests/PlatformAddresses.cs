using System.Net.Mail;

namespace Closely.Intake.Requests;

/// <summary>
/// The platform's own mail domains: mail from them is the platform's own (a notice bounced back, a loop) and never a
/// request. The one check of whether an address is the platform's; the mailbox poller ignores such mail.
/// </summary>
public static class PlatformAddresses
{
    /// <summary>Whether <paramref name="email"/> is at one of <paramref name="domains"/> or a subdomain of one (case-insensitive).</summary>
    public static bool IsPlatformAddress(string email, IEnumerable<string> domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        if (!MailAddress.TryCreate(email, out var address))
        {
            return false;
        }

        var host = address.Host.TrimEnd('.');
        return domains.Select(d => d.Trim().TrimEnd('.')).Any(domain => domain.Length > 0
            && (host.Equals(domain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase)));
    }
}
