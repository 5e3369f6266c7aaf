using System.ComponentModel.DataAnnotations;

namespace Closely.Intake.Mailbox;

/// <summary>
/// The privacy mailbox, from the <c>Imap</c> section. The poller runs only when <see cref="Host"/> is set;
/// the password comes from configuration (environment or user secrets), never from a file in the repository.
/// </summary>
public sealed class MailboxOptions
{
    public const string SectionName = "Imap";

    /// <summary>The IMAP server; empty means no mailbox and no poller.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 993;

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>TLS on connect for port 993, STARTTLS otherwise. Plain IMAP only for a server on loopback (run.sh sets false).</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>Where new mail arrives.</summary>
    [Required]
    public string Folder { get; set; } = "INBOX";

    /// <summary>Where mail that became a case (or was one already) is moved; created at the top level when missing.</summary>
    [Required]
    public string ProcessedFolder { get; set; } = "Processed";

    /// <summary>Where bounces, auto-replies and mail without a sender address are moved; created when missing.</summary>
    [Required]
    public string IgnoredFolder { get; set; } = "Ignored";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}
