using Closely.BuildingBlocks.Messaging;
using Closely.Notification.Email;
using Closely.Notification.Quota;

namespace Closely.IntegrationTests.Notification;

public sealed class TemplateRendererTests
{
    private static readonly Dictionary<string, string> AllValues = new()
    {
        ["reference"] = "DSR-0123456789",
        ["right"] = "Erasure",
        ["receivedAt"] = "2026-11-01",
        ["dueAt"] = "2026-12-01",
        ["targetAt"] = "2026-11-24",
        ["state"] = "Executing",
        ["outcome"] = "",
        ["stores"] = "hetzner-fsn: Failed (timeout)",
        ["reason"] = "Three archives must be searched by hand.",
        ["note"] = "The copy was sent by secure link.",
        ["held"] = "- invoices: German commercial and tax law (§ 257 HGB, § 147 AO); kept until 2034-03-15",
        ["action"] = "review the agent's written authority",
        ["statusUrl"] = "http://127.0.0.1:5100/api/requests/0197/status?token=abc&lang=de",
        ["link"] = "http://127.0.0.1:5300/verify?token=abc.def&lang=de",
        ["downloadUrl"] = "http://127.0.0.1:5400/download?token=abc.def.1.ghi&lang=de",
        ["expiresAt"] = "2026-12-05T09:00:00.0000000+00:00",
        ["days"] = "14",
        ["fields"] = "jobTitle",
        ["declined"] = "- company: the commercial register lists Example GmbH",
    };

    /// <summary>What people receive; the DPO's templates are the others.</summary>
    private static readonly string[] PeoplesTemplates =
    [
        "acknowledgement", "acknowledgement-unclear", "verify-identity", "identity-rejected", "erasure-completed", "extension-notice",
        "refusal", "withdrawn", "authority-rejected", "automated-decision-information", "objection-confirmed", "request-completed",
        "not-verified", "data-package-ready",
        "erasure-completed-with-hold", "restriction-completed-accuracy-contested", "restriction-completed-unlawful-processing",
        "restriction-completed-legal-claims", "restriction-completed-objection-pending", "restriction-lift-notice", "restriction-lifted",
        "held-data-erased",
        "rectification-completed", "rectification-declined",
    ];

    private readonly TemplateRenderer _renderer = new(TemplateRenderer.DefaultDirectory);

    public static TheoryData<string, string> EveryTemplateInEveryLanguage()
    {
        var data = new TheoryData<string, string>();
        foreach (var template in PeoplesTemplates.Concat(["dpo-partially-completed", "dpo-overdue", "dpo-action-needed"]))
        {
            data.Add(template, "en");
            data.Add(template, "de");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTemplateInEveryLanguage))]
    public void Every_template_the_case_saga_uses_renders_with_the_case_values_and_names_the_reference(string template, string language)
    {
        var email = _renderer.Render(template, language, AllValues);

        Assert.Contains("DSR-0123456789", email.Subject + email.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", email.Subject + email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_template_people_receive_is_written_in_german_and_the_dpos_are_english_only()
    {
        Assert.Equal(PeoplesTemplates.Order(), _renderer.Names.Where(n => !n.StartsWith(TemplateRenderer.DeskTemplatePrefix, StringComparison.Ordinal)).Order());
        Assert.All(PeoplesTemplates, t => Assert.Equal(["de", "en"], _renderer.LanguagesOf(t).Select(l => l.Code).Order()));

        var dpo = _renderer.Render("dpo-overdue", "de", AllValues);
        Assert.StartsWith("Overdue: case DSR-0123456789", dpo.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void The_quota_limited_templates_are_templates_people_receive_so_a_renamed_template_cannot_leave_the_quota_silently()
    {
        Assert.Subset(PeoplesTemplates.ToHashSet(StringComparer.Ordinal), RecipientQuota.LimitedTemplates.ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void A_german_acknowledgement_names_the_right_and_writes_the_dates_in_german_with_the_status_link()
    {
        var german = _renderer.Render("acknowledgement", "de", AllValues);
        var english = _renderer.Render("acknowledgement", "en", AllValues);

        Assert.Equal("Ihr Datenschutzantrag DSR-0123456789 ist bei uns eingegangen", german.Subject);
        Assert.Contains("am 1. November 2026 bei uns eingegangen", german.Body, StringComparison.Ordinal);
        Assert.Contains("Ihr Anliegen: Löschung (Art. 17 DSGVO)", german.Body, StringComparison.Ordinal);
        Assert.Contains("spätestens bis zum 1. Dezember 2026", german.Body.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains(AllValues["statusUrl"], german.Body, StringComparison.Ordinal);
        Assert.Contains("on 1 November 2026", english.Body, StringComparison.Ordinal);
        Assert.Contains("Your request: Erasure of your data (Article 17 GDPR)", english.Body, StringComparison.Ordinal);
        Assert.Contains("by 1 December 2026", english.Body.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    public void The_acknowledgement_of_a_mail_whose_right_is_unclear_names_no_right_and_says_the_privacy_team_will_look(string language)
    {
        var email = _renderer.Render("acknowledgement-unclear", language, AllValues);
        var text = (email.Subject + " " + email.Body).ReplaceLineEndings(" ");

        foreach (var guessed in new[] { "Erasure", "erasure", "Löschung", "Article 17", "Art. 17" })
        {
            Assert.DoesNotContain(guessed, text, StringComparison.Ordinal);
        }

        Assert.Contains(language == "de" ? "Unser Datenschutzteam liest Ihre Nachricht" : "Our privacy team will read your message", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "until 5 December 2026, 09:00 UTC")]
    [InlineData("de", "bis zum 5. Dezember 2026, 09:00 UTC")]
    public void The_verification_email_gives_the_links_expiry_in_the_language(string language, string expiry)
    {
        var email = _renderer.Render("verify-identity", language, AllValues);

        Assert.Contains(expiry, email.Body.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains(AllValues["link"], email.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("extension-notice", "en")]
    [InlineData("refusal", "en")]
    [InlineData("authority-rejected", "en")]
    [InlineData("extension-notice", "de")]
    [InlineData("refusal", "de")]
    [InlineData("authority-rejected", "de")]
    public void A_notice_that_must_give_reasons_gives_the_dpos_reason(string template, string language)
    {
        var email = _renderer.Render(template, language, AllValues);

        Assert.Contains("Three archives must be searched by hand.", email.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("extension-notice", "en", "supervisory authority")]
    [InlineData("refusal", "en", "supervisory authority")]
    [InlineData("extension-notice", "de", "Beschwerde bei einer Aufsichtsbehörde einzulegen")]
    [InlineData("refusal", "de", "Beschwerde bei einer Aufsichtsbehörde einzulegen")]
    public void Extension_and_refusal_notices_tell_of_the_right_to_complain_to_a_supervisory_authority(string template, string language, string words)
    {
        var email = _renderer.Render(template, language, AllValues);

        Assert.Contains(words, email.Body.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("fi")]
    public void A_language_not_offered_gets_the_english_version(string? language)
    {
        var email = _renderer.Render("withdrawn", language, AllValues);

        Assert.Equal("Your request DSR-0123456789 is withdrawn", email.Subject);
    }

    [Fact]
    public void The_reminder_digest_lists_its_cases_under_the_day_and_their_count()
    {
        var email = _renderer.Render("dpo-digest", null, new Dictionary<string, string>
        {
            ["date"] = "2026-11-30",
            ["count"] = "2",
            ["cases"] = "- DSR-2026-AAAAAA  Access  AwaitingDpoAction  due in 2 days\n- DSR-2026-BBBBBB  Erasure  PartiallyCompleted  OVERDUE",
        });

        Assert.Contains("2026-11-30", email.Subject, StringComparison.Ordinal);
        Assert.Contains("2 open cases", email.Subject, StringComparison.Ordinal);
        Assert.Contains("DSR-2026-AAAAAA", email.Body, StringComparison.Ordinal);
        Assert.Contains("DSR-2026-BBBBBB", email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_placeholder_without_a_value_is_a_permanent_failure_naming_the_placeholder()
    {
        var values = new Dictionary<string, string>(AllValues);
        values.Remove("dueAt");

        var failure = Assert.Throws<PermanentFailureException>(() => _renderer.Render("acknowledgement", "de", values));

        Assert.Contains("dueAt", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dueAt", "1 December")]
    [InlineData("right", "Deletion")]
    public void A_value_its_format_cannot_read_is_a_permanent_failure_naming_the_placeholder(string placeholder, string value)
    {
        var values = new Dictionary<string, string>(AllValues) { [placeholder] = value };

        var failure = Assert.Throws<PermanentFailureException>(() => _renderer.Render("acknowledgement", "en", values));

        Assert.Contains(placeholder, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_template_is_a_permanent_failure_naming_the_template()
    {
        var failure = Assert.Throws<PermanentFailureException>(() => _renderer.Render("../appsettings", "en", AllValues));

        Assert.Contains("../appsettings", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notice.txt", "Subject: {{reference}}\n\nDue {{dueAt:date}}.", null, null, "notice.de.txt is missing")]
    [InlineData("notice.txt", "Subject: {{reference}}\n\nDue {{dueAt:date}}.", "notice.de.txt", "Subject: {{reference}}\n\nFällig.", "the English version has dueAt:date, reference")]
    [InlineData("notice.txt", "Subject: {{reference}}\n\nDue {{dueAt:when}}.", "notice.de.txt", "Subject: {{reference}}\n\nFällig {{dueAt:when}}.", "uses '{{dueAt:when}}'")]
    [InlineData("dpo-notice.txt", "Subject: {{reference}}\n\nDue.", "dpo-notice.fi.txt", "Subject: {{reference}}\n\nDue.", "names no language the platform offers")]
    public void Templates_that_would_send_a_person_a_wrong_or_missing_translation_stop_the_start(
        string english, string englishText, string? other, string? otherText, string problem)
    {
        var directory = Directory.CreateTempSubdirectory("templates-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, english), englishText);
            if (other is not null)
            {
                File.WriteAllText(Path.Combine(directory.FullName, other), otherText);
            }

            var failure = Assert.Throws<InvalidOperationException>(() => new TemplateRenderer(directory.FullName));

            Assert.Contains(problem, failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
