using System.Text.RegularExpressions;

namespace Closely.ServiceProcesses;

/// <summary>
/// The links the platform mails, as a requester finds them in an email's text: one pattern each, so that the tests and
/// the benchmark follow the platform's link format together (a copy left behind once made the benchmark wait in vain).
/// </summary>
public static partial class MailedLinks
{
    /// <summary>Identity's verification link, its token in the query (<c>/verify?token=…</c>, ADR 33).</summary>
    [GeneratedRegex(@"https?://\S+/verify\?token=\S+")]
    public static partial Regex Verification();
}
