using Closely.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Closely.Notification.Persistence;

public sealed class NotificationDbContext(DbContextOptions<NotificationDbContext> options) : ClaimingDbContext(options)
{
    public const string SchemaName = "notification";

    public override string Schema => SchemaName;
}
