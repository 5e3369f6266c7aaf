namespace Closely.Intake.Pages;

/// <summary>The texts of the privacy-centre pages: <c>Resources/Pages/PageTexts.resx</c> (English), one file per further language.</summary>
public sealed class PageTexts;
