using Closely.BuildingBlocks.Messaging;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Closely.Notification.Email;

/// <summary>Sends one plain-text email over SMTP with MailKit.</summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> options)
{
    public async Task SendAsync(string recipient, RenderedEmail email, CancellationToken cancellationToken)
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
        message.Subject = email.Subject;
        message.Body = new TextPart("plain") { Text = email.Body };

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }
}
