using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Closely.Contracts;

namespace Closely.Intake.Mailbox;

/// <summary>The right a mail invokes as far as its words tell; <see cref="NeedsTriage"/> when the DPO must decide.</summary>
public sealed record MailClassification(DataSubjectRight Right, double Confidence, bool NeedsTriage);

/// <summary>
/// Tells the right a mail to the privacy mailbox invokes from English and German phrases. Every rule that
/// matches adds its weight to its right (a clear phrase such as "delete my data" or "Auskunft" 2, a bare
/// keyword such as "delete" 1; subject and text count separately). The confidence is the winner's share of
/// all points, scaled down when the winner has less than one clear phrase. A mail with no match, a weak
/// winner or a close runner-up (e.g. "delete my data and send me a copy of it") needs triage; its
/// <see cref="MailClassification.Right"/> is the best guess (access when nothing matched at all).
/// </summary>
public static class RequestClassifier
{
    /// <summary>Below this confidence the DPO classifies the case.</summary>
    public const double TriageBelow = 0.6;

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

    /// <summary>Classifies a mail by its subject and own text; when they hold no clear phrase, the text it forwards counts too.</summary>
    public static MailClassification Classify(string? subject, string? text, string? forwardedText = null)
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

    /// <summary>"Art. 17", "Art 17", "Artikel 17", "Article 17".</summary>
    private static string Article(int number) => $@"\bart(?:ikel|icle|\.)?\s*{number}\b";

    private sealed class Rule(DataSubjectRight right, int weight, string pattern)
    {
        public DataSubjectRight Right { get; } = right;

        public int Weight { get; } = weight;

        public Regex Pattern { get; } = new(pattern, Options | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
    }
}
