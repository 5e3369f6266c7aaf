using Closely.Contracts;
using Closely.DataLocator.Locating;
using Closely.IntegrationTests.Infrastructure;

namespace Closely.IntegrationTests.Stores;

/// <summary>DataLocator on a real bus: finds the subject in every registered store and reports counts only.</summary>
[Collection(PlatformServersCollection.Name)]
public sealed class DataLocatorTests(PlatformServers servers)
{
    [Fact]
    public async Task LocateSubjectData_publishes_the_rows_found_per_store_and_entity()
    {
        var stores = await TestStores.CreateAsync(servers);
        await using var host = await ServiceHost<LocateSubjectDataConsumer>.StartAsync(servers, "locate", options => options.Set(stores.Settings));
        var located = await host.RecordAsync<SubjectDataLocated>();
        var caseId = Guid.NewGuid();

        await host.SendAsync(CommandQueues.LocateSubjectData, new LocateSubjectData { CaseId = caseId, SubjectEmail = " JANE.DOE@example.com" });

        await TestSettings.EventuallyAsync(() => Task.FromResult(!located.IsEmpty), "SubjectDataLocated");
        var message = Assert.Single(located);
        Assert.Equal(caseId, message.CaseId);
        Assert.Equal(
            "hetzner-fsn1-crm: people=1 shared_data=2 | hetzner-hel1-outreach: contacts=1 messages=3 | aws-euc1-analytics: profiles=1 activity_events=5",
            string.Join(" | ", message.Stores.Select(s => $"{s.StoreId}: {string.Join(' ', s.RowsPerEntity.Select(r => $"{r.Key}={r.Value}"))}")));
        Assert.Equal(6, message.Stores.Single(s => s.StoreId == "aws-euc1-analytics").TotalRows);
    }
}
