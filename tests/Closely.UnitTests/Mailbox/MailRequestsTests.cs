using System.Security.Cryptography;
using System.Text;
using Closely.Contracts;
using Closely.Intake.Mailbox;
using Closely.Intake.Requests;
using MimeKit;

namespace Closely.UnitTests.Mailbox;

public sealed class MailRequestsTests
{

    [Fact]
    public void A_mail_becomes_an_email_request_from_its_sender()
    {
        using var message = Mail("Jane Doe", "jane@example.com", "Delete my data", "Please delete my data.");

        var reading = MailRequests.Read(message, []);

        var request = Assert.IsType<NewRequest>(reading.Request);
        Assert.Equal(IntakeChannel.Email, request.Channel);
        Assert.Equal("jane@example.com", request.Email);
        Assert.Equal("Jane Doe", request.FullName);
        Assert.Equal(DataSubjectRight.Erasure, request.Right);
        Assert.False(request.NeedsTriage);
        Assert.Equal(1.0, request.ClassificationConfidence);
        Assert.Equal("Delete my data\n\nPlease delete my data.", request.Details);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(message.MessageId!)), request.MessageIdHash);
    }

    [Fact]
    public void Without_a_display_name_the_local_part_is_the_name()
    {
        using var message = Mail("", "max.mustermann@example.de", "Auskunft", "Auskunft bitte.");

        Assert.Equal("max.mustermann", MailRequests.Read(message, []).Request!.FullName);
    }

    [Fact]
    public void Without_a_Message_ID_the_same_mail_hashes_the_same_and_another_differently()
    {
        using var first = Mail("Jane", "jane@example.com", "Erasure", "Delete my data.", messageId: false);
        using var again = MimeMessage.Load(Serialized(first));
        using var other = Mail("Jane", "jane@example.com", "Erasure", "Delete my data, please.", messageId: false);

        Assert.Equal(MailRequests.MessageIdHash(first), MailRequests.MessageIdHash(again));
        Assert.NotEqual(MailRequests.MessageIdHash(first), MailRequests.MessageIdHash(other));
    }

    [Theory]
    [InlineData("Auto-Submitted", "auto-replied")]
    [InlineData("X-Autoreply", "yes")]
    [InlineData("X-Autorespond", "Out of office")]
    [InlineData("Precedence", "bulk")]
    [InlineData("Precedence", "auto_reply")]
    [InlineData("Precedence", "junk")]
    public void An_automatic_reply_is_ignored(string header, string value)
    {
        using var message = Mail("Jane", "jane@example.com", "Out of office", "I am away; please delete my data meanwhile.");
        message.Headers.Add(header, value);

        var reading = MailRequests.Read(message, []);

        Assert.Null(reading.Request);
        Assert.Equal("a bounce or an auto-reply", reading.IgnoredBecause);
    }

    [Fact]
    public void A_mail_marked_auto_submitted_no_is_a_request()
    {
        using var message = Mail("Jane", "jane@example.com", "Erasure", "Delete my data.");
        message.Headers.Add("Auto-Submitted", "no");

        var reading = MailRequests.Read(message, []);
        Assert.Null(reading.IgnoredBecause);
        Assert.Equal(DataSubjectRight.Erasure, reading.Request?.Right);
    }

    [Theory]
    [InlineData("privacy@closely.example")]
    [InlineData("noreply@CLOSELY.EXAMPLE")]
    [InlineData("dpo@mail.closely.example")]
    public void Mail_from_the_platforms_own_domain_is_ignored(string sender)
    {
        using var message = Mail("Closely Privacy", sender, "Delete my data", "Please delete my data.");
        string[] platformDomains = ["closely.example"];

        var reading = MailRequests.Read(message, platformDomains);

        Assert.Null(reading.Request);
        Assert.Equal("a sender of the platform's own domain", reading.IgnoredBecause);
        using var lookalike = Mail("Jane", "jane@notclosely.example", "Delete my data", "Please delete my data.");
        Assert.NotNull(MailRequests.Read(lookalike, platformDomains).Request);
    }

    [Fact]
    public void A_bounce_is_ignored()
    {
        using var fromDaemon = Mail("Mail Delivery System", "MAILER-DAEMON@mail.example.com", "Undelivered", "Delete my data.");
        using var report = Mail("Postmaster", "notices@mail.example.com", "Delivery Status Notification", "");
        var multipart = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "Delivery failed." } };
        report.Body = multipart;

        Assert.Null(MailRequests.Read(fromDaemon, []).Request);
        Assert.Null(MailRequests.Read(report, []).Request);
    }

    [Fact]
    public void Attachments_are_not_kept_and_the_details_say_how_many_came()
    {
        using var message = Mail("Jane", "jane@example.com", "Erasure", "Delete my data. My ID is attached.");
        var body = new Multipart("mixed") { message.Body! };
        body.Add(Attachment("passport.pdf", "application/pdf", 100));
        body.Add(Attachment("huge.png", "image/png", 2048));
        message.Body = body;

        var reading = MailRequests.Read(message, []);

        var request = reading.Request!;
        Assert.Empty(request.Attachments);
        Assert.Equal(2, reading.AttachmentsLeftOut);
        Assert.EndsWith("[2 attachment(s) not kept: the platform stores no mail attachments; the mail stays in the privacy mailbox]", request.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_text_is_cut_to_the_limit_of_the_request_details()
    {
        using var message = Mail("Jane", "jane@example.com", "Erasure", "Delete my data. " + new string('x', 10_000));

        var details = MailRequests.Read(message, []).Request!.Details!;

        Assert.Equal(SubmitRequest.MaxDetailsLength, details.Length);
        Assert.EndsWith("…", details, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mail_without_a_valid_sender_is_ignored()
    {
        using var message = Mail("Nobody", "not-an-address", "Erasure", "Delete my data.");

        Assert.Null(MailRequests.Read(message, []).Request);
    }

    private static MimeMessage Mail(string name, string address, string subject, string text, bool messageId = true)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text } };
        message.From.Add(new MailboxAddress(name, address));
        message.To.Add(new MailboxAddress("Closely Privacy", "privacy@closely.example"));
        if (messageId)
        {
            message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("example.com");
        }
        else
        {
            message.Headers.Remove(HeaderId.MessageId);
        }

        return message;
    }

    private static MimePart Attachment(string fileName, string contentType, int size) =>
        new(ContentType.Parse(contentType))
        {
            FileName = fileName,
            Content = new MimeContent(new MemoryStream(new byte[size])),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
        };

    private static MemoryStream Serialized(MimeMessage message)
    {
        var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        return stream;
    }
}
