using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.Notification.Persistence;

namespace Closely.Notification;

public static class NotificationExtensions
{
    public static IHostApplicationBuilder AddNotificationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationDbContext>(NotificationDbContext.SchemaName);
        builder.AddMessaging();
        return builder;
    }
}
