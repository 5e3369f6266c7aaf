using System.Globalization;
using System.Text.RegularExpressions;
using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Messaging;
using Closely.Contracts;

namespace Closely.Notification.Email;

/// <summary>
/// The plain-text email templates (<c>Templates/&lt;name&gt;.txt</c> in English, <c>&lt;name&gt;.&lt;language&gt;.txt</c>
/// in each further language: a <c>Subject: …</c> line, a blank line, the body) with <c>{{name}}</c> placeholders.
/// A placeholder may name a format the template's language applies: <c>{{dueAt:date}}</c> (an ISO date),
/// <c>{{expiresAt:datetime}}</c> (an ISO instant, shown in UTC), <c>{{right:right}}</c> (a right's name).
/// <para>
/// Every template people receive exists in every language of <see cref="PublicLanguages"/>, with the same
/// placeholders; the privacy desk's templates (<c>dpo-…</c>) are English only, like the DPO console, whatever
/// the case's language. Both are checked when the templates load. An unknown template, a placeholder without a
/// value or a value its format cannot read is a <see cref="PermanentFailureException"/>: retrying cannot cure it.
/// </para>
/// </summary>
public sealed partial class TemplateRenderer
{
    /// <summary>Templates addressed to the privacy desk start so.</summary>
    public const string DeskTemplatePrefix = "dpo-";

    private const string SubjectPrefix = "Subject:";
    private static readonly string[] Formats = ["date", "datetime", "right"];

    private readonly Dictionary<string, Dictionary<PublicLanguage, RenderedEmail>> _templates;

    public TemplateRenderer(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _templates = Directory.EnumerateFiles(directory, "*.txt")
            .Select(path => (Name: NameOf(path), Email: Parse(path)))
            .GroupBy(t => t.Name.Template, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(t => t.Name.Language, t => t.Email), StringComparer.Ordinal);
        foreach (var (name, versions) in _templates)
        {
            Check(name, versions);
        }
    }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "Templates");

    public IReadOnlyCollection<string> Names => _templates.Keys;

    /// <summary>The languages <paramref name="template"/> is written in.</summary>
    public IReadOnlyCollection<PublicLanguage> LanguagesOf(string template) => _templates[template].Keys;

    /// <summary>Renders <paramref name="template"/> in <paramref name="language"/>, or in English when it has no version in that language.</summary>
    public RenderedEmail Render(string template, string? language, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        if (!_templates.TryGetValue(template, out var versions))
        {
            throw new PermanentFailureException($"Unknown notification template '{template}'.");
        }

        var wanted = PublicLanguages.Of(language);
        var written = versions.ContainsKey(wanted) ? wanted : PublicLanguages.Default;
        var email = versions[written];
        return new RenderedEmail(Fill(template, email.Subject, values, written), Fill(template, email.Body, values, written));
    }

    private static string Fill(string template, string text, IReadOnlyDictionary<string, string> values, PublicLanguage language) =>
        Placeholder().Replace(text, match =>
        {
            var name = match.Groups["name"].Value;
            if (!values.TryGetValue(name, out var value))
            {
                throw new PermanentFailureException($"Template '{template}' needs a value for placeholder '{name}', and none was given.");
            }

            return match.Groups["format"].Value switch
            {
                "date" => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? language.FormatDate(date)
                    : throw Unreadable(template, name, "an ISO date"),
                "datetime" => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
                    ? language.FormatDate(DateOnly.FromDateTime(instant.UtcDateTime)) + instant.UtcDateTime.ToString(", HH:mm 'UTC'", CultureInfo.InvariantCulture)
                    : throw Unreadable(template, name, "an ISO instant"),
                "right" => Enum.TryParse<DataSubjectRight>(value, ignoreCase: false, out var right) && Enum.IsDefined(right)
                    ? RightNames.Of(right, language.Culture)
                    : throw Unreadable(template, name, "the name of a right"),
                _ => value,
            };
        });

    private static PermanentFailureException Unreadable(string template, string name, string expected) =>
        new($"Template '{template}' shows placeholder '{name}' as {expected}, and its value is not one.");

    /// <summary><c>acknowledgement.de.txt</c> is the German version of <c>acknowledgement</c>; a name without a language is English.</summary>
    private static (string Template, PublicLanguage Language) NameOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var dot = name.LastIndexOf('.');
        if (dot < 0)
        {
            return (name, PublicLanguages.Default);
        }

        return PublicLanguages.Find(name[(dot + 1)..]) is { } language && language != PublicLanguages.Default
            ? (name[..dot], language)
            : throw new InvalidOperationException(
                $"Template '{Path.GetFileName(path)}' names no language the platform offers ({string.Join(", ", PublicLanguages.All.Skip(1).Select(l => l.Code))}).");
    }

    /// <summary>An English version; every language for people's templates; the same placeholders and known formats in each.</summary>
    private static void Check(string name, Dictionary<PublicLanguage, RenderedEmail> versions)
    {
        if (!versions.TryGetValue(PublicLanguages.Default, out var english))
        {
            throw new InvalidOperationException($"Template '{name}' has no English version '{name}.txt'.");
        }

        var missing = name.StartsWith(DeskTemplatePrefix, StringComparison.Ordinal)
            ? []
            : PublicLanguages.All.Where(l => !versions.ContainsKey(l)).Select(l => $"{name}.{l.Code}.txt").ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Template '{name}' is sent to people and needs every language: {string.Join(", ", missing)} is missing.");
        }

        var expected = Placeholders(english);
        foreach (var (language, email) in versions)
        {
            var found = Placeholders(email);
            if (!found.SetEquals(expected))
            {
                throw new InvalidOperationException(
                    $"Template '{name}' ({language.Code}) has the placeholders {string.Join(", ", found.Order())}; the English version has {string.Join(", ", expected.Order())}.");
            }

            if (found.FirstOrDefault(p => p.Contains(':', StringComparison.Ordinal) && !Formats.Contains(p[(p.IndexOf(':', StringComparison.Ordinal) + 1)..])) is { } unknown)
            {
                throw new InvalidOperationException($"Template '{name}' ({language.Code}) uses '{{{{{unknown}}}}}'; the formats are {string.Join(", ", Formats)}.");
            }
        }
    }

    private static HashSet<string> Placeholders(RenderedEmail email) =>
        Placeholder().Matches(email.Subject + "\n" + email.Body)
            .Select(m => m.Groups["format"].Success ? m.Groups["name"].Value + ":" + m.Groups["format"].Value : m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);

    private static RenderedEmail Parse(string path)
    {
        var lines = File.ReadAllText(path).ReplaceLineEndings("\n").Split('\n');
        if (lines.Length < 3 || !lines[0].StartsWith(SubjectPrefix, StringComparison.Ordinal) || lines[1].Length != 0)
        {
            throw new InvalidOperationException(
                $"Template '{Path.GetFileName(path)}' must start with a 'Subject: …' line followed by a blank line.");
        }

        return new RenderedEmail(lines[0][SubjectPrefix.Length..].Trim(), string.Join('\n', lines[2..]).TrimEnd() + "\n");
    }

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z0-9_]+)(?::(?<format>[a-z]+))?\s*\}\}")]
    private static partial Regex Placeholder();
}
