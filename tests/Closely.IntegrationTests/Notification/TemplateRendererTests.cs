using Closely.BuildingBlocks.Messaging;
using Closely.Notification.Email;

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
        ["action"] = "review the agent's written authority",
    };

    private readonly TemplateRenderer _renderer = new(TemplateRenderer.DefaultDirectory);

    [Theory]
    [InlineData("acknowledgement")]
    [InlineData("identity-rejected")]
    [InlineData("erasure-completed")]
    [InlineData("dpo-partially-completed")]
    [InlineData("dpo-overdue")]
    [InlineData("dpo-action-needed")]
    [InlineData("extension-notice")]
    [InlineData("refusal")]
    [InlineData("withdrawn")]
    [InlineData("authority-rejected")]
    [InlineData("automated-decision-information")]
    [InlineData("objection-confirmed")]
    [InlineData("request-completed")]
    public void Every_template_the_case_saga_uses_renders_with_the_case_values_and_names_the_reference(string template)
    {
        var email = _renderer.Render(template, AllValues);

        Assert.Contains("DSR-0123456789", email.Subject + email.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", email.Subject + email.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("extension-notice")]
    [InlineData("refusal")]
    [InlineData("authority-rejected")]
    public void A_notice_that_must_give_reasons_gives_the_dpos_reason(string template)
    {
        var email = _renderer.Render(template, AllValues);

        Assert.Contains("Three archives must be searched by hand.", email.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("extension-notice")]
    [InlineData("refusal")]
    public void Extension_and_refusal_notices_tell_of_the_right_to_complain_to_a_supervisory_authority(string template)
    {
        var email = _renderer.Render(template, AllValues);

        Assert.Contains("supervisory authority", email.Body.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    [Fact]
    public void The_reminder_digest_lists_its_cases_under_the_day_and_their_count()
    {
        var email = _renderer.Render("dpo-digest", new Dictionary<string, string>
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

        var failure = Assert.Throws<PermanentFailureException>(() => _renderer.Render("acknowledgement", values));

        Assert.Contains("dueAt", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_template_is_a_permanent_failure_naming_the_template()
    {
        var failure = Assert.Throws<PermanentFailureException>(() => _renderer.Render("../appsettings", AllValues));

        Assert.Contains("../appsettings", failure.Message, StringComparison.Ordinal);
    }
}
