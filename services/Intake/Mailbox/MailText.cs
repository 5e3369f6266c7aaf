using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Text;

namespace Closely.Intake.Mailbox;

/// <summary>
/// What a mail says, as plain text: <see cref="Subject"/> without "Re:"/"Fwd:"/"WG:" prefixes,
/// <see cref="Text"/> the sender's own words, <see cref="ForwardedText"/> the text of a message they forward
/// (without its From/Date/Subject header lines). Quoted replies ("&gt;" lines, "On ... wrote:", "Am ... schrieb",
/// "-----Original Message-----" and what follows) and the signature after "-- " are dropped. HTML-only mail
/// is converted to text first, so no markup reaches the classifier or the case.
/// </summary>
public sealed partial record MailText(string Subject, string Text, string ForwardedText)
{
    public static MailText From(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rawSubject = message.Subject ?? "";
        var forwarded = ForwardPrefix().IsMatch(rawSubject);
        var body = message.TextBody ?? (message.HtmlBody is { } html ? HtmlToText(html) : "");
        return Split(CleanSubject(rawSubject), body, forwarded);
    }

    /// <summary>The subject without any run of reply and forward prefixes (Re, Aw, Fwd, Fw, WG, Tr, Sv).</summary>
    public static string CleanSubject(string subject) => SubjectPrefixes().Replace(subject ?? "", "").Trim();

    /// <summary>Splits a plain-text body; <paramref name="forwardedSubject"/> makes an Outlook header block a forward, not a quote.</summary>
    public static MailText Split(string subject, string body, bool forwardedSubject)
    {
        ArgumentNullException.ThrowIfNull(body);
        var own = new StringBuilder();
        var forward = new StringBuilder();
        var mode = Mode.Own;
        var inForwardHeader = false;
        var lines = body.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            if (ForwardMarker().IsMatch(line) || (forwardedSubject && !inForwardHeader && OutlookHeaderStarts(lines, i)))
            {
                mode = Mode.Forward;
                inForwardHeader = true;
                continue;
            }

            if (ReplyMarker().IsMatch(line) || WrappedReplyMarker(lines, i) || (!inForwardHeader && OutlookHeaderStarts(lines, i)))
            {
                break;
            }

            if (line == "--")
            {
                // "-- " (trailing space trimmed): the signature, up to a forwarded message if one follows.
                mode = Mode.Signature;
                continue;
            }

            if (mode == Mode.Signature || line.TrimStart().StartsWith('>'))
            {
                continue;
            }

            if (mode == Mode.Forward && inForwardHeader)
            {
                if (ForwardHeaderLine().IsMatch(line) || line.Length == 0)
                {
                    continue;
                }

                inForwardHeader = false;
            }

            (mode == Mode.Own ? own : forward).Append(line).Append('\n');
        }

        return new MailText(subject, Tidy(own.ToString()), Tidy(forward.ToString()));
    }

    /// <summary>The visible text of an HTML body: block elements become line breaks; scripts, styles and the head are dropped.</summary>
    public static string HtmlToText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = new StringBuilder(html.Length / 2);
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader) { DecodeCharacterReferences = true };
        var hidden = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head or HtmlTagId.Title:
                    if (!tag.IsEmptyElement)
                    {
                        hidden = Math.Max(0, hidden + (tag.IsEndTag ? -1 : 1));
                    }

                    break;
                case HtmlTagToken tag when tag.Id == HtmlTagId.Body && !tag.IsEndTag:
                    // The body is visible even when the head was never closed.
                    hidden = 0;
                    break;
                case HtmlTagToken tag when tag.Id == HtmlTagId.LI && !tag.IsEndTag:
                    text.Append("\n- ");
                    break;
                case HtmlTagToken tag when IsBlock(tag.Id):
                    text.Append('\n');
                    break;
                case HtmlDataToken data when hidden == 0 && token.Kind == HtmlTokenKind.Data:
                    text.Append(Whitespace().Replace(data.Data, " "));
                    break;
            }
        }

        return string.Join('\n', text.ToString().Split('\n').Select(l => l.Trim()));
    }

    private static bool IsBlock(HtmlTagId id) => id is HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.TR
        or HtmlTagId.Table or HtmlTagId.BlockQuote or HtmlTagId.HR or HtmlTagId.Pre or HtmlTagId.UL or HtmlTagId.OL
        or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.H4 or HtmlTagId.H5 or HtmlTagId.H6;

    /// <summary>"On ... &lt;" / "jane@example.com&gt; wrote:": the reply marker wrapped over two lines, as Gmail does with long names.</summary>
    private static bool WrappedReplyMarker(string[] lines, int index) =>
        index + 1 < lines.Length
        && !ReplyMarker().IsMatch(lines[index + 1])
        && ReplyMarker().IsMatch(lines[index].TrimEnd() + " " + lines[index + 1].Trim());

    /// <summary>Outlook's reply/forward block: a "From:"/"Von:" line followed within three lines by "Sent:"/"Gesendet:".</summary>
    private static bool OutlookHeaderStarts(string[] lines, int index)
    {
        var line = lines[index].Trim();
        if (OutlookSeparator().IsMatch(line) && index + 1 < lines.Length)
        {
            line = lines[index + 1].Trim();
            index++;
        }

        return OutlookFrom().IsMatch(line)
            && lines.Skip(index + 1).Take(3).Any(l => OutlookSent().IsMatch(l.Trim()));
    }

    /// <summary>Blank lines collapsed to one, the whole trimmed.</summary>
    private static string Tidy(string text) => BlankLines().Replace(text, "\n\n").Trim();

    private enum Mode
    {
        Own,
        Forward,
        Signature,
    }

    [GeneratedRegex(@"^\s*(?:(?:re|aw|antw|fwd?|wg|tr|sv|vs)\s*(?:\[\d+\])?\s*:\s*)+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SubjectPrefixes();

    [GeneratedRegex(@"^\s*(?:fwd?|wg|tr)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForwardPrefix();

    [GeneratedRegex(@"^\s*(?:-{2,}\s*(?:forwarded message|weitergeleitete nachricht|message transféré)\s*-*|begin forwarded message:|anfang der weitergeleiteten nachricht:)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForwardMarker();

    [GeneratedRegex(@"^\s*(?:on\s.+\swrote:|am\s.+\sschrieb\s.*:|-{2,}\s*(?:original message|ursprüngliche nachricht)\s*-{2,})\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReplyMarker();

    [GeneratedRegex(@"^\s*(?:from|von|date|datum|sent|gesendet|to|an|cc|subject|betreff|reply-to|antwort an)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForwardHeaderLine();

    [GeneratedRegex(@"^_{10,}$")]
    private static partial Regex OutlookSeparator();

    [GeneratedRegex(@"^(?:from|von)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutlookFrom();

    [GeneratedRegex(@"^(?:sent|gesendet|date|datum)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutlookSent();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
