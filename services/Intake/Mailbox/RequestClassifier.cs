using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Closely.BuildingBlocks.Localization;
using Closely.Contracts;

namespace Closely.Intake.Mailbox;

/// <summary>
/// The right a mail invokes as far as its words tell; <see cref="NeedsTriage"/> when the DPO must decide. <see cref="Language"/>
/// is the language the mail is written in, or null when its words do not tell (the requester is then answered in English).
/// <see cref="DirectMarketing"/>: a clear objection whose words are about marketing (unsubscribe, stop emailing, Werbung, ...).
/// </summary>
public sealed record MailClassification(DataSubjectRight Right, double Confidence, bool NeedsTriage, PublicLanguage? Language = null, bool DirectMarketing = false);

/// <summary>
/// Tells the right a mail to the privacy mailbox invokes from English and German phrases. Every rule that
/// matches adds its weight to its right (a clear phrase such as "delete my data" or "Auskunft" 2, a bare
/// keyword such as "delete" 1; subject and text count separately). The confidence is the winner's share of
/// all points, scaled down when the winner has less than one clear phrase. A mail with no match, a weak
/// winner or a close runner-up (e.g. "delete my data and send me a copy of it") needs triage; its
/// <see cref="MailClassification.Right"/> is the best guess (access when nothing matched at all).
/// The language is German or English by the common words of each the mail uses more of, given at least
/// <see cref="LanguageEvidence"/> of them and a lead; otherwise it is not told.
/// </summary>
public static partial class RequestClassifier
{
    /// <summary>Below this confidence the DPO classifies the case.</summary>
    public const double TriageBelow = 0.6;

    /// <summary>How many common words of a language a mail must use before its language is told.</summary>
    public const int LanguageEvidence = 3;

    private const int Clear = 2;
    private const int Keyword = 1;
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;

    // Patterns see the text lower-cased with umlauts folded (ä -> ae, ß -> ss), so "Löschung" reads "loeschung".
    private const string Words = @"(?:[\w'-]+\s+){0,3}?";

    private static readonly Rule[] Rules =
    [
        new(DataSubjectRight.Erasure, Clear, $@"\b(?:delete|erase|remove|wipe|purge)\s+{Words}(?:data|details|information|info|account|profile|records?|me|contact|entry)\b"),
        new(DataSubjectRight.Erasure, Clear, @"\bright\s+to\s+(?:be\s+forgotten|erasure|deletion)\b"),
        new(DataSubjectRight.Erasure, Clear, @"loesch"),
        new(DataSubjectRight.Erasure, Clear, @"\brecht\s+auf\s+vergessen"),
        new(DataSubjectRight.Erasure, Clear, Article(17)),
        new(DataSubjectRight.Erasure, Keyword, @"\b(?:delete|erase|remove|erasure|deletion)\b"),
        new(DataSubjectRight.Erasure, Keyword, @"\bentfern"),

        new(DataSubjectRight.Access, Clear, $@"\b(?:copy|copies|overview|list|summary)\s+(?:of\s+)?{Words}(?:data|information|details)\b"),
        new(DataSubjectRight.Access, Clear, $@"\baccess\s+(?:to\s+)?{Words}(?:data|information|details)\b"),
        new(DataSubjectRight.Access, Clear, $@"\bwhat\s+{Words}(?:data|information)\s+{Words}(?:hold|have|store|process|keep|collect)"),
        new(DataSubjectRight.Access, Clear, @"\b(?:subject\s+access\s+request|d?sar)\b"),
        new(DataSubjectRight.Access, Clear, @"\bauskunft"),
        new(DataSubjectRight.Access, Clear, $@"\b(?:welche|kopie)\s+{Words}daten"),
        new(DataSubjectRight.Access, Clear, Article(15)),
        new(DataSubjectRight.Access, Keyword, @"\b(?:access|copy)\b"),

        new(DataSubjectRight.Rectification, Clear, $@"\b(?:correct|rectify|update|fix|amend)\s+{Words}(?:data|details|information|name|address|email|title|record|entry|profile)\b"),
        new(DataSubjectRight.Rectification, Clear, @"\brectif"),
        new(DataSubjectRight.Rectification, Clear, @"\b(?:berichtig|korrigier|korrektur)"),
        new(DataSubjectRight.Rectification, Clear, Article(16)),
        new(DataSubjectRight.Rectification, Keyword, @"\b(?:incorrect|inaccurate|wrong|outdated|falsch|unrichtig|veraltet)"),

        new(DataSubjectRight.Restriction, Clear, @"\brestrict"),
        new(DataSubjectRight.Restriction, Clear, @"einschraenk"),
        new(DataSubjectRight.Restriction, Clear, $@"\b(?:limit|suspend|pause)\s+{Words}processing\b"),
        new(DataSubjectRight.Restriction, Clear, Article(18)),
        new(DataSubjectRight.Restriction, Keyword, @"\bsperr(?:en|ung)\b"),

        new(DataSubjectRight.Portability, Clear, @"\bportab"),
        new(DataSubjectRight.Portability, Clear, @"uebertragbarkeit"),
        new(DataSubjectRight.Portability, Clear, @"\b(?:machine[\s-]readable|maschinenlesbar)"),
        new(DataSubjectRight.Portability, Clear, $@"\b(?:transfer|transmit|port|export)\s+{Words}data\b"),
        new(DataSubjectRight.Portability, Clear, Article(20)),
        new(DataSubjectRight.Portability, Keyword, @"\b(?:csv|json|export)\b"),

        new(DataSubjectRight.Objection, Clear, @"\bobject(?:ion)?\b"),
        new(DataSubjectRight.Objection, Clear, @"\b(?:unsubscribe|opt[\s-]?out)\b"),
        new(DataSubjectRight.Objection, Clear, @"\bwider(?:sprech|spruch)"),
        new(DataSubjectRight.Objection, Clear, @"\b(?:direkt)?werb(?:ung|e)|\bdirect\s+marketing\b"),
        new(DataSubjectRight.Objection, Clear, $@"\bstop\s+{Words}(?:sending|contacting|emailing|calling|mailing)\b"),
        new(DataSubjectRight.Objection, Clear, @"\b(?:do\s+not|don'?t|never)\s+(?:contact|email|call|mail)\b"),
        new(DataSubjectRight.Objection, Clear, @"\babmeld"),
        new(DataSubjectRight.Objection, Clear, Article(21)),
        new(DataSubjectRight.Objection, Keyword, @"\b(?:marketing|newsletter|spam)\b"),

        new(DataSubjectRight.AutomatedDecisionInformation, Clear, @"\bautomated\s+(?:individual\s+)?decision"),
        new(DataSubjectRight.AutomatedDecisionInformation, Clear, $@"\bautomatisierte?n?\s+{Words}\w*entscheidung"),
        new(DataSubjectRight.AutomatedDecisionInformation, Clear, @"\bprofiling\b"),
        new(DataSubjectRight.AutomatedDecisionInformation, Clear, Article(22)),
        new(DataSubjectRight.AutomatedDecisionInformation, Keyword, @"\b(?:automat(?:ed|isch|isiert)|algorithm)"),
    ];

    // Short words that occur in almost any mail of the language and are no words of the other (umlauts folded).
    private static readonly HashSet<string> GermanWords = new(StringComparer.Ordinal)
    {
        "ich", "und", "die", "der", "das", "den", "dem", "des", "mein", "meine", "meiner", "meinen", "mich", "mir", "bitte", "sie", "ihre",
        "ihren", "ihrer", "nicht", "ist", "sind", "mit", "von", "zu", "auf", "fuer", "ein", "eine", "einen", "daten", "sehr", "geehrte",
        "geehrter", "damen", "herren", "gruessen", "freundlichen", "vielen", "dank", "dass", "werden", "habe", "haben", "moechte", "wir",
        "uns", "auch", "oder", "alle", "bei", "ueber", "hiermit", "loeschen",
    };

    private static readonly HashSet<string> EnglishWords = new(StringComparer.Ordinal)
    {
        "i", "and", "the", "my", "me", "please", "you", "your", "not", "is", "are", "with", "of", "to", "on", "for", "a", "data",
        "dear", "hello", "thanks", "thank", "regards", "that", "have", "has", "would", "like", "we", "us", "or", "about", "from",
        "this", "it", "hereby", "delete",
    };

    /// <summary>Classifies a mail by its subject and own text; when they hold no clear phrase, the text it forwards counts too.</summary>
    public static MailClassification Classify(string? subject, string? text, string? forwardedText = null)
    {
        var right = ClassifyRight(subject, text, forwardedText);
        return right with
        {
            Language = LanguageOf(subject, text) ?? LanguageOf(forwardedText),
            DirectMarketing = right is { Right: DataSubjectRight.Objection, NeedsTriage: false }
                && new[] { subject, text }.Any(t => !string.IsNullOrWhiteSpace(t) && DirectMarketingPattern().IsMatch(Fold(t!))),
        };
    }

    private static MailClassification ClassifyRight(string? subject, string? text, string? forwardedText)
    {
        var scores = new Dictionary<DataSubjectRight, int>();
        Score(subject, scores);
        Score(text, scores);
        if (scores.Values.DefaultIfEmpty().Max() < Clear)
        {
            Score(forwardedText, scores);
        }

        if (scores.Count == 0)
        {
            return new MailClassification(DataSubjectRight.Access, 0, NeedsTriage: true);
        }

        var ranked = scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key).ToList();
        var best = ranked[0].Value;
        var runnerUp = ranked.Count > 1 ? ranked[1].Value : 0;
        var strength = Math.Min(1.0, (double)best / Clear);
        var confidence = Math.Round(strength * best / (best + runnerUp), 2);
        return new MailClassification(ranked[0].Key, confidence, confidence < TriageBelow);
    }

    /// <summary>German or English by the common words used; null when there are too few, or as many of each.</summary>
    private static PublicLanguage? LanguageOf(params string?[] texts)
    {
        var words = texts.Where(t => !string.IsNullOrWhiteSpace(t))
            .SelectMany(t => WordPattern().Matches(Fold(t!)).Select(m => m.Value))
            .ToList();
        var german = words.Count(GermanWords.Contains);
        var english = words.Count(EnglishWords.Contains);
        if (Math.Max(german, english) < LanguageEvidence || german == english)
        {
            return null;
        }

        return german > english ? PublicLanguages.German : PublicLanguages.English;
    }

    private static void Score(string? text, Dictionary<DataSubjectRight, int> scores)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        var folded = Fold(text);
        foreach (var rule in Rules)
        {
            if (rule.Pattern.IsMatch(folded))
            {
                scores[rule.Right] = scores.GetValueOrDefault(rule.Right) + rule.Weight;
            }
        }
    }

    /// <summary>Lower case, umlauts and ß spelled out, whitespace collapsed.</summary>
    private static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.ToLower(CultureInfo.InvariantCulture))
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            _ = c switch
            {
                'ä' => builder.Append("ae"),
                'ö' => builder.Append("oe"),
                'ü' => builder.Append("ue"),
                'ß' => builder.Append("ss"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    // An objection's words that make it one to direct marketing (Art 21(2)) rather than to other processing (Art 21(1)).
    [GeneratedRegex($@"\b(?:unsubscribe|opt[\s-]?out|newsletter|spam|(?:direct\s+)?marketing|(?:direkt)?werb(?:ung|e)|abmeld\w*)\b|\bstop\s+{Words}(?:sending|contacting|emailing|calling|mailing)\b|\b(?:do\s+not|don'?t|never)\s+(?:contact|email|call|mail)\b", Options)]
    private static partial Regex DirectMarketingPattern();

    [GeneratedRegex(@"[a-z']+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <summary>"Art. 17", "Art 17", "Artikel 17", "Article 17".</summary>
    private static string Article(int number) => $@"\bart(?:ikel|icle|\.)?\s*{number}\b";

    private sealed class Rule(DataSubjectRight right, int weight, string pattern)
    {
        public DataSubjectRight Right { get; } = right;

        public int Weight { get; } = weight;

        public Regex Pattern { get; } = new(pattern, Options | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
    }
}
