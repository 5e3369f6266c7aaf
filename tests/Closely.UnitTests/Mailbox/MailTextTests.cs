using Closely.Intake.Mailbox;
using MimeKit;

namespace Closely.UnitTests.Mailbox;

public sealed class MailTextTests
{
    [Theory]
    [InlineData("Fwd: Delete my data", "Delete my data")]
    [InlineData("WG: AW: Löschung", "Löschung")]
    [InlineData("RE: Fw: request", "request")]
    [InlineData("Re[2]: Auskunft", "Auskunft")]
    [InlineData("Recht auf Auskunft", "Recht auf Auskunft")]
    public void Reply_and_forward_prefixes_leave_the_subject(string subject, string expected)
    {
        Assert.Equal(expected, MailText.CleanSubject(subject));
    }

    [Fact]
    public void A_quoted_reply_and_the_signature_are_not_the_senders_words()
    {
        var text = MailText.Split("Re: hello", """
            Please erase my data.
            -- 
            Jane Doe, ACME Ltd.

            On Mon, 2 Mar 2026 at 10:00, Closely <privacy@closely.example> wrote:
            > Please send us a copy of your ID.
            """, forwardedSubject: false);

        Assert.Equal("Please erase my data.", text.Text);
        Assert.Equal("", text.ForwardedText);
    }

    [Fact]
    public void A_reply_marker_wrapped_over_two_lines_still_cuts_the_quote()
    {
        var text = MailText.Split("Re: Ihre Anfrage", """
            Ja, bitte alles löschen.
            Am liebsten sofort.

            Am Mo., 2. März 2026 um 10:00 Uhr schrieb Closely Privacy <
            privacy@closely.example>:
            > Möchten Sie auch Ihr Konto löschen?
            Möchten Sie auch Ihr Konto löschen?
            """, forwardedSubject: false);

        Assert.Equal("Ja, bitte alles löschen.\nAm liebsten sofort.", text.Text);
    }

    [Fact]
    public void A_line_of_the_senders_own_right_above_a_reply_marker_is_kept()
    {
        var text = MailText.Split("Re: Ihre Anfrage", """
            Danke.
            Am liebsten heute.
            Am 2. März 2026 schrieb Closely Privacy <privacy@closely.example>:
            > Wann sollen wir löschen?
            """, forwardedSubject: false);

        Assert.Equal("Danke.\nAm liebsten heute.", text.Text);
    }

    [Fact]
    public void A_forwarded_message_keeps_its_text_without_its_header_lines()
    {
        var text = MailText.Split("Delete my data", """
            See the request below.

            ---------- Forwarded message ---------
            From: Jane Doe <jane@example.com>
            Date: Mon, 2 Mar 2026 at 10:00
            Subject: Delete my data
            To: <support@closely.example>


            Please delete everything you hold about me.
            """, forwardedSubject: true);

        Assert.Equal("See the request below.", text.Text);
        Assert.Equal("Please delete everything you hold about me.", text.ForwardedText);
    }

    [Fact]
    public void An_Outlook_forward_in_German_keeps_the_forwarded_text()
    {
        var text = MailText.Split("Auskunft", """
            Zur Info.

            ________________________________
            Von: Max Mustermann <max@example.com>
            Gesendet: Montag, 2. März 2026 10:00
            An: info@closely.example
            Betreff: Auskunft

            Ich bitte um Auskunft nach Art. 15 DSGVO.
            """, forwardedSubject: true);

        Assert.Equal("Zur Info.", text.Text);
        Assert.Equal("Ich bitte um Auskunft nach Art. 15 DSGVO.", text.ForwardedText);
    }

    [Fact]
    public void An_Outlook_reply_cuts_the_quoted_message()
    {
        var text = MailText.Split("AW: Ihre Anfrage", """
            Bitte löschen Sie meine Daten.

            Von: Closely Privacy <privacy@closely.example>
            Gesendet: Montag, 2. März 2026 10:00
            Betreff: Ihre Anfrage

            Wir haben Ihre Anfrage erhalten.
            """, forwardedSubject: false);

        Assert.Equal("Bitte löschen Sie meine Daten.", text.Text);
        Assert.Equal("", text.ForwardedText);
    }

    [Fact]
    public void An_HTML_only_mail_becomes_text_without_markup_scripts_or_styles()
    {
        using var message = new MimeMessage();
        message.Subject = "Erasure";
        message.Body = new TextPart("html")
        {
            Text = """
                <html><head><title>Mail</title><style>p { color: red; }</style></head>
                <body><p>Dear team,</p><div>please <b>erase</b> my data &amp; confirm.</div>
                <script>alert('x')</script><ul><li>name</li><li>email</li></ul></body></html>
                """,
        };

        var text = MailText.From(message);

        Assert.DoesNotContain("<", text.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("color", text.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("alert", text.Text, StringComparison.Ordinal);
        Assert.Contains("Dear team,\n\nplease erase my data & confirm.", text.Text, StringComparison.Ordinal);
        Assert.Contains("- name\n- email", text.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void HTML_whose_head_is_never_closed_still_shows_its_body()
    {
        var text = MailText.HtmlToText("<html><head><meta charset=\"utf-8\"><body><p>Please erase my data.</p></body></html>");

        Assert.Equal("Please erase my data.", text.Trim());
    }
}
