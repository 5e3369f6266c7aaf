using Closely.BuildingBlocks.Persistence;
using Closely.IntegrationTests.Infrastructure;
using Closely.Notification.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Closely.IntegrationTests;

[Collection(PlatformServersCollection.Name)]
public sealed class ProcessedMessagesTests(PlatformServers servers)
{
    [Fact]
    public async Task A_key_can_be_claimed_once_and_a_rolled_back_claim_leaves_it_free()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "claims");
        var now = DateTimeOffset.UtcNow;

        await using (var rolledBack = PlatformDatabase.Notification(database))
        {
            await using var transaction = await rolledBack.Database.BeginTransactionAsync();
            Assert.True(await rolledBack.TryClaimAsync("case-1:acknowledgement", now, default));
            await transaction.RollbackAsync();
        }

        await using var db = PlatformDatabase.Notification(database);
        Assert.True(await db.TryClaimAsync("case-1:acknowledgement", now, default));
        Assert.False(await db.TryClaimAsync("case-1:acknowledgement", now, default));
        Assert.True(await db.TryClaimAsync("case-2:acknowledgement", now, default));
    }
}
