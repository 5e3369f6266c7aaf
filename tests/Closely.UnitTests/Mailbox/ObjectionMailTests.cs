using Closely.Contracts;
using Closely.Intake.Mailbox;
using MimeKit;

namespace Closely.UnitTests.Mailbox;

/// <summary>
/// An objection by mail: to direct marketing it goes on the suppression list at intake (Art 21(2)); to other processing
/// it is restricted under Art 18(1)(d) while the DPO weighs it (Art 21(1)).
/// </summary>
public sealed class ObjectionMailTests
{
    [Theory]
    [InlineData("Unsubscribe", "Stop sending me marketing emails.")]
    [InlineData("Objection", "I object to the processing of my data for direct marketing.")]
    [InlineData("Widerspruch", "Ich widerspreche der Nutzung meiner Daten für Werbung.")]
    [InlineData("Please", "Do not contact me again, I object.")]
    public void An_objection_to_direct_marketing_is_suppressed_at_intake_and_not_restricted(string subject, string text)
    {
        var request = Read(subject, text);

        Assert.Equal(DataSubjectRight.Objection, request.Right);
        Assert.True(request.Suppress);
        Assert.Null(request.Ground);
    }

    [Theory]
    [InlineData("Objection under Art 21", "I object to your processing of my personal data based on your legitimate interests.")]
    [InlineData("Widerspruch", "Hiermit widerspreche ich der Verarbeitung meiner Daten nach Art. 21 DSGVO.")]
    public void An_objection_to_other_processing_is_restricted_pending_the_dpo_and_not_suppressed(string subject, string text)
    {
        var request = Read(subject, text);

        Assert.Equal(DataSubjectRight.Objection, request.Right);
        Assert.False(request.Suppress);
        Assert.Equal(RestrictionGround.ObjectionPending, request.Ground);
    }

    [Fact]
    public void A_mail_whose_right_is_unclear_is_neither_suppressed_nor_restricted()
    {
        var request = Read("Hello", "Newsletter? Delete? Copy?");

        Assert.True(request.NeedsTriage);
        Assert.False(request.Suppress);
        Assert.Null(request.Ground);
    }

    private static Closely.Intake.Requests.NewRequest Read(string subject, string text)
    {
        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Jane Doe", "jane@example.com"));
        message.To.Add(new MailboxAddress("Privacy", "privacy@closely.example"));
        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId();
        message.Body = new TextPart("plain") { Text = text };
        return MailRequests.Read(message, []).Request!;
    }
}
