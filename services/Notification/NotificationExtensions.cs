using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Privacy;
using Closely.Notification.Email;
using Closely.Notification.Persistence;
using Closely.Notification.Quota;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Closely.Notification;

public static class NotificationExtensions
{
    public static IHostApplicationBuilder AddNotificationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddServiceDatabase<NotificationDbContext>(NotificationDbContext.SchemaName);
        // Opens the recipient and the values of SendNotification, which travel sealed (ADR 38).
        builder.AddPersonalDataProtection();

        builder.Services.AddOptions<SmtpOptions>()
            .Bind(builder.Configuration.GetSection(SmtpOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddPersonalDataProtection();
        builder.Services.AddOptions<RecipientQuotaOptions>()
            .Bind(builder.Configuration.GetSection(RecipientQuotaOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RecipientQuota>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => new TemplateRenderer(TemplateRenderer.DefaultDirectory));
        builder.Services.AddSingleton<SmtpMailSender>();

        builder.AddMessaging(bus => bus.AddConsumer<SendNotificationConsumer, SendNotificationConsumerDefinition>());
        return builder;
    }
}
