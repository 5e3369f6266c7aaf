using MimeKit;

namespace Closely.Intake.Mailbox;

/// <summary>
/// Mail no person wrote: bounces and auto-replies. They never become cases (an out-of-office reply to our
/// acknowledgement would otherwise open a case of its own).
/// </summary>
public static class AutomaticMail
{
    private static readonly string[] AutomaticPrecedence = ["auto_reply", "bulk", "junk"];
    private static readonly string[] SystemSenders = ["mailer-daemon", "postmaster"];

    public static bool IsAutomatic(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var headers = message.Headers;

        // RFC 3834: anything other than "no" is automatic ("auto-replied", "auto-generated", ...).
        var autoSubmitted = headers[HeaderId.AutoSubmitted];
        if (!string.IsNullOrWhiteSpace(autoSubmitted)
            && !string.Equals(autoSubmitted.Split(';')[0].Trim(), "no", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (headers.Contains("X-Autoreply") || headers.Contains("X-Autorespond"))
        {
            return true;
        }

        var precedence = headers[HeaderId.Precedence]?.Trim();
        if (precedence is not null && AutomaticPrecedence.Contains(precedence, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        // Delivery status notifications (bounces) and read receipts.
        if (message.Body is MultipartReport)
        {
            return true;
        }

        return message.From.Mailboxes.Any(m =>
            SystemSenders.Contains(m.LocalPart, StringComparer.OrdinalIgnoreCase));
    }
}
