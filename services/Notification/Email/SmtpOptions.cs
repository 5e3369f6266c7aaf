using System.ComponentModel.DataAnnotations;

namespace Closely.Notification.Email;

/// <summary>Where and as whom emails are sent, from configuration section <c>Smtp</c>.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    [Required]
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; }

    [Required]
    [EmailAddress]
    public string From { get; set; } = "privacy@closely.example";

    [Required]
    public string FromName { get; set; } = "Closely Privacy";

    /// <summary>STARTTLS when true; plain SMTP (loopback, local maildev) when false.</summary>
    public bool UseTls { get; set; }
}
