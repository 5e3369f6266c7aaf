using System.Globalization;

namespace Closely.BuildingBlocks.Localization;

/// <summary>A language the public pages and the requester's emails are written in.</summary>
/// <param name="Code">The code carried on messages and in links (<c>?lang=de</c>): the ISO 639-1 code.</param>
/// <param name="CultureName">The culture texts are looked up in and dates formatted for.</param>
/// <param name="Name">The language's name in itself, as the language switch shows it.</param>
/// <param name="SwitchLabel">What the language switch is called in this language.</param>
/// <param name="DateFormat">How a date reads in a sentence: <c>2 December 2026</c>, <c>2. Dezember 2026</c>.</param>
public sealed record PublicLanguage(string Code, string CultureName, string Name, string SwitchLabel, string DateFormat)
{
    public CultureInfo Culture => CultureInfo.GetCultureInfo(CultureName);

    /// <summary>A date as pages and emails in this language write it.</summary>
    public string FormatDate(DateOnly date) => date.ToString(DateFormat, Culture);
}

/// <summary>
/// The languages people are answered in: English (the default) and German. A requester's language is chosen
/// on the public pages (<see cref="QueryKey"/>, then the <see cref="CookieName"/> cookie, then Accept-Language),
/// kept on the case and used for every email of it. A language is added here, with its <c>.resx</c> files and
/// email templates.
/// </summary>
public static class PublicLanguages
{
    /// <summary>The query parameter of the language switch: <c>?lang=de</c>.</summary>
    public const string QueryKey = "lang";

    /// <summary>Remembers the language chosen with the switch.</summary>
    public const string CookieName = "closely-lang";

    public static readonly PublicLanguage English = new("en", "en-GB", "English", "Language", "d MMMM yyyy");

    public static readonly PublicLanguage German = new("de", "de-DE", "Deutsch", "Sprache", "d. MMMM yyyy");

    /// <summary>Every language offered; the first is the default.</summary>
    public static readonly IReadOnlyList<PublicLanguage> All = [English, German];

    public static PublicLanguage Default => All[0];

    /// <summary>The language of the current request's UI culture (set by <see cref="PublicLanguageExtensions.UsePublicLanguages"/>).</summary>
    public static PublicLanguage Current => Find(CultureInfo.CurrentUICulture.Name) ?? Default;

    /// <summary>The language a code or culture name (<c>de</c>, <c>de-AT</c>, <c>DE</c>) stands for; null when it is not offered.</summary>
    public static PublicLanguage? Find(string? codeOrCulture)
    {
        if (string.IsNullOrWhiteSpace(codeOrCulture))
        {
            return null;
        }

        var code = codeOrCulture.Trim().Split('-', '_')[0];
        return All.FirstOrDefault(l => string.Equals(l.Code, code, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The language of a message or a row: the default when absent or not offered.</summary>
    public static PublicLanguage Of(string? code) => Find(code) ?? Default;
}
