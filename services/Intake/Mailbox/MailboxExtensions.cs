using Closely.BuildingBlocks.Hosting;

namespace Closely.Intake.Mailbox;

public static class MailboxExtensions
{
    /// <summary>
    /// The <c>Imap</c> settings and, only when <c>Imap:Host</c> is set, the poller of the privacy mailbox: a
    /// service (or test) that configures no mailbox polls none.
    /// </summary>
    public static IHostApplicationBuilder AddMailboxPoller(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MailboxOptions>()
            .Bind(builder.Configuration.GetSection(MailboxOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => !o.IsConfigured || o.PollInterval > TimeSpan.Zero, "Imap:PollInterval must be positive.")
            .Validate(o => !o.IsConfigured || (o.Username.Length > 0 && o.Password.Length > 0),
                "Imap:Username and Imap:Password are required when Imap:Host is set.")
            .ValidateOnStart();

        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{MailboxOptions.SectionName}:Host"]))
        {
            builder.Services.AddPeriodicBackgroundService<MailboxPoller>();
        }

        return builder;
    }
}
