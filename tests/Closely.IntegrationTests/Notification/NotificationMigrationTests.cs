using Closely.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Closely.IntegrationTests.Notification;

/// <summary>Notification's schema upgraded from before deliveries existed: old claims survive the drop of processed_messages.</summary>
[Collection(PlatformServersCollection.Name)]
public sealed class NotificationMigrationTests(PlatformServers servers)
{
    [Fact]
    public async Task A_notice_claimed_in_processed_messages_is_a_sent_delivery_after_the_upgrade()
    {
        var database = await servers.CreateDatabaseAsync("notify_upgrade");
        var caseId = Guid.NewGuid();
        var claimedAt = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        await using var db = PlatformDatabase.Notification(database);
        await db.GetService<IMigrator>().MigrateAsync("Initial");
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO notification.processed_messages (key, processed_at) VALUES ({$"{caseId}:acknowledgement"}, {claimedAt})");

        await db.Database.MigrateAsync();

        var delivery = await db.Deliveries.SingleAsync(d => d.CaseId == caseId);
        Assert.Equal(("acknowledgement", 1, claimedAt), (delivery.NoticeKey, delivery.Attempts, delivery.SentAt));
        Assert.Equal(0, await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = 'notification' AND table_name = 'processed_messages'").SingleAsync());
    }
}
