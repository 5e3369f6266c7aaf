using System.Text.RegularExpressions;
using Closely.BuildingBlocks.Messaging;

namespace Closely.Notification.Email;

/// <summary>
/// The plain-text email templates (<c>Templates/&lt;name&gt;.txt</c>: a <c>Subject: …</c> line, a blank line,
/// the body) with <c>{{name}}</c> placeholders. An unknown template or a placeholder without a value is a
/// <see cref="PermanentFailureException"/>: retrying cannot cure it.
/// </summary>
public sealed partial class TemplateRenderer
{
    private const string SubjectPrefix = "Subject:";

    private readonly Dictionary<string, RenderedEmail> _templates;

    public TemplateRenderer(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _templates = Directory.EnumerateFiles(directory, "*.txt")
            .ToDictionary(path => Path.GetFileNameWithoutExtension(path), Parse, StringComparer.Ordinal);
    }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "Templates");

    public RenderedEmail Render(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        if (!_templates.TryGetValue(template, out var email))
        {
            throw new PermanentFailureException($"Unknown notification template '{template}'.");
        }

        return new RenderedEmail(Fill(template, email.Subject, values), Fill(template, email.Body, values));
    }

    private static string Fill(string template, string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            return values.TryGetValue(name, out var value)
                ? value
                : throw new PermanentFailureException($"Template '{template}' needs a value for placeholder '{name}', and none was given.");
        });

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

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
