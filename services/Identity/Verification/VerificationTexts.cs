namespace Closely.Identity.Verification;

/// <summary>The texts of the verification pages: <c>Resources/Verification/VerificationTexts.resx</c> (English), one file per further language.</summary>
public sealed class VerificationTexts;
