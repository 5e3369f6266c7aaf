using System.ComponentModel.DataAnnotations;

namespace Closely.Intake.Pages;

/// <summary>Settings of the privacy-centre pages, from the <c>Intake:PrivacyCentre</c> section.</summary>
public sealed class PrivacyCentreOptions
{
    public const string SectionName = "Intake:PrivacyCentre";

    /// <summary>The largest written authority an agent may upload, in bytes.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxAuthorityBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>
    /// The largest form body the request page reads, in bytes. Up to this size an oversized upload is read
    /// and discarded, and the page answers with a readable error; beyond it the connection is closed.
    /// </summary>
    [Range(64 * 1024, 1024 * 1024 * 1024)]
    public long MaxFormBytes { get; set; } = 32 * 1024 * 1024;
}
