using System.Globalization;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Localization;
using Closely.Contracts;
using Closely.Intake.Persistence;
using Closely.Intake.Requests;
using MimeKit;

namespace Closely.Intake.Mailbox;

/// <summary>What a mail becomes: a request to store, or nothing (<see cref="IgnoredBecause"/> says why, without personal data).</summary>
public sealed record MailReading(NewRequest? Request, string? IgnoredBecause, byte[] MessageIdHash, int AttachmentsLeftOut);

/// <summary>Turns a mail to the privacy mailbox into a <see cref="NewRequest"/> of the email channel.</summary>
public static class MailRequests
{
    private const int MaxContentTypeLength = 128;
    private const int MaxFileNameLength = 255;

    /// <param name="arrivedAt">When the mail reached the mailbox (IMAP INTERNALDATE): the moment of receipt.</param>
    public static MailReading Read(MimeMessage message, MailboxOptions options, DateTimeOffset? arrivedAt = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var messageIdHash = MessageIdHash(message);
        if (AutomaticMail.IsAutomatic(message))
        {
            return new MailReading(null, "a bounce or an auto-reply", messageIdHash, 0);
        }

        var sender = message.From.Mailboxes.FirstOrDefault();
        var email = sender?.Address?.Trim() ?? "";
        if (email.Length is 0 or > SubmitRequest.MaxEmailLength || !MailAddress.TryCreate(email, out _))
        {
            return new MailReading(null, "no valid sender address", messageIdHash, 0);
        }

        if (PlatformAddresses.IsPlatformAddress(email, options.PlatformDomains))
        {
            return new MailReading(null, "a sender of the platform's own domain", messageIdHash, 0);
        }

        var text = MailText.From(message);
        var classification = RequestClassifier.Classify(text.Subject, text.Text, text.ForwardedText);
        var (attachments, leftOut) = Attachments(message, options);
        var request = new NewRequest
        {
            Right = classification.Right,
            Channel = IntakeChannel.Email,
            Email = email,
            FullName = FullName(sender!),
            Details = Details(text, leftOut, options),
            NeedsTriage = classification.NeedsTriage,
            ClassificationConfidence = classification.Confidence,
            Language = (classification.Language ?? PublicLanguages.Default).Code,
            MessageIdHash = messageIdHash,
            Attachments = attachments,
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

    /// <summary>The display name of the sender, else the local part of the address.</summary>
    private static string FullName(MailboxAddress sender)
    {
        var name = string.IsNullOrWhiteSpace(sender.Name) ? sender.LocalPart : sender.Name.Trim();
        return name.Length > SubmitRequest.MaxFullNameLength ? name[..SubmitRequest.MaxFullNameLength] : name;
    }

    /// <summary>Subject and text, then the forwarded text; cut to the API's limit, keeping the note on attachments left out.</summary>
    private static string? Details(MailText text, int attachmentsLeftOut, MailboxOptions options)
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
                $"\n\n[{attachmentsLeftOut} attachment(s) not kept: over {options.MaxAttachmentBytes} bytes or more than {options.MaxAttachments} attachments]");
        var body = string.Join("\n\n", parts);
        var room = SubmitRequest.MaxDetailsLength - note.Length;
        if (body.Length > room)
        {
            body = body[..(room - 1)].TrimEnd() + "…";
        }

        var details = (body + note).Trim();
        return details.Length == 0 ? null : details;
    }

    private static (List<NewAttachment> Kept, int LeftOut) Attachments(MimeMessage message, MailboxOptions options)
    {
        var kept = new List<NewAttachment>();
        var leftOut = 0;
        foreach (var entity in message.Attachments)
        {
            var content = Content(entity);
            if (content.Length > options.MaxAttachmentBytes || kept.Count >= options.MaxAttachments)
            {
                leftOut++;
                continue;
            }

            var fileName = entity switch
            {
                MimePart { FileName: { Length: > 0 } name } => name,
                MessagePart => "forwarded-message.eml",
                _ => $"attachment-{kept.Count + 1}",
            };
            kept.Add(new NewAttachment(
                AttachmentKind.Email,
                Cap(fileName, MaxFileNameLength),
                Cap(entity.ContentType.MimeType, MaxContentTypeLength),
                content));
        }

        return (kept, leftOut);
    }

    private static byte[] Content(MimeEntity entity)
    {
        using var stream = new MemoryStream();
        switch (entity)
        {
            case MimePart { Content: not null } part:
                part.Content.DecodeTo(stream);
                break;
            case MessagePart { Message: not null } forwarded:
                forwarded.Message.WriteTo(stream);
                break;
        }

        return stream.ToArray();
    }

    private static string Cap(string value, int length) => value.Length > length ? value[..length] : value;
}
