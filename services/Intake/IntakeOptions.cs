using System.ComponentModel.DataAnnotations;

namespace Closely.Intake;

/// <summary>Settings of the request API and its outbox, from the <c>Intake</c> section.</summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>The address requesters reach Intake on; status links are built from it.</summary>
    [Required]
    public Uri PublicBaseUrl { get; set; } = new("http://127.0.0.1:5100");

    /// <summary>How often the outbox publisher looks for stored requests not yet published.</summary>
    public TimeSpan OutboxInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest request body the API reads, in bytes.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// The platform's own mail domains (<c>Intake:PlatformDomains:&lt;n&gt;</c>), subdomains included: an address there is
    /// never a requester (every channel refuses it) and mail from it is ignored by the mailbox poller, so that the platform
    /// cannot be made to write to itself or answer its own notices.
    /// </summary>
    public IList<string> PlatformDomains { get; set; } = [];

    public RateLimitOptions RateLimit { get; set; } = new();

    public sealed class RateLimitOptions
    {
        /// <summary>Requests one client IP may submit per minute.</summary>
        [Range(1, 100_000)]
        public int PermitsPerMinute { get; set; } = 20;
    }
}
