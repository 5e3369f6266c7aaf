using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Messaging;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Closely.Notification.Email;

/// <summary>Sends one plain-text email over SMTP with MailKit.</summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> options)
{
    /// <summary>
    /// Sends <paramref name="email"/>. Its Message-ID is derived from <paramref name="uniqueKey"/> (case and
    /// notice), so that an email sent a second time after a crash carries the same Message-ID and mail
    /// systems that de-duplicate on it show it once.
    /// </summary>
    public async Task SendAsync(string recipient, RenderedEmail email, string uniqueKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(email);
        var smtp = options.Value;

        // The address stays out of the exception: exceptions end up in logs and in the error queue's headers.
        if (!MailboxAddress.TryParse(recipient, out var to))
        {
            throw new PermanentFailureException("The recipient address is not a valid email address.");
        }

        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress(smtp.FromName, smtp.From));
        message.To.Add(to);
        message.MessageId = MessageId(uniqueKey, smtp.From);
        message.Subject = email.Subject;
        // Mail no person wrote (RFC 3834): auto-responders answer it not, and no mailbox loop can start from it.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        message.Body = new TextPart("plain") { Text = email.Body };

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    /// <summary>A Message-ID (without angle brackets) that is the same for every send of <paramref name="uniqueKey"/>.</summary>
    public static string MessageId(string uniqueKey, string from)
    {
        ArgumentNullException.ThrowIfNull(uniqueKey);
        ArgumentNullException.ThrowIfNull(from);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uniqueKey)))[..32];
        return $"{hash}@{from[(from.LastIndexOf('@') + 1)..]}";
    }
}
