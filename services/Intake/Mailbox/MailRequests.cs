using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Localization;
using Closely.Contracts;
using Closely.Intake.Requests;
using MimeKit;

namespace Closely.Intake.Mailbox;

/// <summary>What a mail becomes: a request to store, or nothing (<see cref="IgnoredBecause"/> says why, without personal data).</summary>
public sealed record MailReading(NewRequest? Request, string? IgnoredBecause, byte[] MessageIdHash, int AttachmentsLeftOut);

/// <summary>Turns a mail to the privacy mailbox into a <see cref="NewRequest"/> of the email channel.</summary>
public static class MailRequests
{
    /// <param name="platformDomains">The platform's own mail domains (<see cref="IntakeOptions.PlatformDomains"/>): mail from them is ignored.</param>
    /// <param name="arrivedAt">When the mail reached the mailbox (IMAP INTERNALDATE): the moment of receipt.</param>
    public static MailReading Read(MimeMessage message, IEnumerable<string> platformDomains, DateTimeOffset? arrivedAt = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var messageIdHash = MessageIdHash(message);
        if (AutomaticMail.IsAutomatic(message))
        {
            return new MailReading(null, "a bounce or an auto-reply", messageIdHash, 0);
        }

        var sender = message.From.Mailboxes.FirstOrDefault();
        var email = sender?.Address?.Trim() ?? "";
        if (!SubmitRequest.IsEmailAddress(email))
        {
            return new MailReading(null, "no valid sender address", messageIdHash, 0);
        }

        if (PlatformAddresses.IsPlatformAddress(email, platformDomains))
        {
            return new MailReading(null, "a sender of the platform's own domain", messageIdHash, 0);
        }

        var text = MailText.From(message);
        var classification = RequestClassifier.Classify(text.Subject, text.Text, text.ForwardedText);
        // Nothing reads a mail's attachments, so none is stored (ADR 36); the details say how many came.
        var leftOut = message.Attachments.Count();
        var request = new NewRequest
        {
            Right = classification.Right,
            Channel = IntakeChannel.Email,
            Email = email,
            FullName = FullName(sender!),
            Details = Details(text, leftOut),
            NeedsTriage = classification.NeedsTriage,
            ClassificationConfidence = classification.Confidence,
            // An objection to direct marketing is absolute (Art 21(2)): on the suppression list at once, as the opt-out does.
            Suppress = classification.DirectMarketing,
            Language = (classification.Language ?? PublicLanguages.Default).Code,
            MessageIdHash = messageIdHash,
            ReceivedAt = arrivedAt,
        };
        return new MailReading(request, null, messageIdHash, leftOut);
    }

    /// <summary>
    /// SHA-256 of the Message-ID (as MimeKit reads it, without angle brackets), so one mail is one case however
    /// often it is polled. A mail without a Message-ID is identified by the SHA-256 of its whole content
    /// instead: polled again (say the move to the processed folder failed) it is still one case, while two
    /// separate mails without one differ in their Date and Received headers and become two cases.
    /// </summary>
    public static byte[] MessageIdHash(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!string.IsNullOrWhiteSpace(message.MessageId))
        {
            return SHA256.HashData(Encoding.UTF8.GetBytes(message.MessageId.Trim()));
        }

        using var content = new MemoryStream();
        message.WriteTo(content);
        content.Position = 0;
        return SHA256.HashData(content);
    }

    /// <summary>The display name of the sender, else the local part of the address; on one line, as every channel's names (ADR 35).</summary>
    private static string FullName(MailboxAddress sender)
    {
        var name = string.IsNullOrWhiteSpace(sender.Name) ? sender.LocalPart : sender.Name.Trim();
        name = new string(name.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return name.Length > SubmitRequest.MaxFullNameLength ? name[..SubmitRequest.MaxFullNameLength] : name;
    }

    /// <summary>Subject and text, then the forwarded text; cut to the API's limit, keeping the note on attachments left out.</summary>
    private static string? Details(MailText text, int attachmentsLeftOut)
    {
        var parts = new List<string>();
        if (text.Subject.Length > 0)
        {
            parts.Add(text.Subject);
        }

        if (text.Text.Length > 0)
        {
            parts.Add(text.Text);
        }

        if (text.ForwardedText.Length > 0)
        {
            parts.Add("Forwarded message:\n" + text.ForwardedText);
        }

        var note = attachmentsLeftOut == 0
            ? ""
            : string.Create(CultureInfo.InvariantCulture,
                $"\n\n[{attachmentsLeftOut} attachment(s) not kept: the platform stores no mail attachments; the mail stays in the privacy mailbox]");
        var body = string.Join("\n\n", parts);
        var room = SubmitRequest.MaxDetailsLength - note.Length;
        if (body.Length > room)
        {
            body = body[..(room - 1)].TrimEnd() + "…";
        }

        var details = (body + note).Trim();
        return details.Length == 0 ? null : details;
    }
}
