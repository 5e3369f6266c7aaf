namespace Closely.Intake.Pages;

/// <summary>A labelled text input (or text area) with its hint and problem, for <c>_TextField.cshtml</c>.</summary>
public sealed record TextField(string Id, string Label, string? Value, string? Error, int MaxLength)
{
    public string? Hint { get; init; }

    public string Type { get; init; } = "text";

    public string? Autocomplete { get; init; }

    public bool Multiline { get; init; }
}
