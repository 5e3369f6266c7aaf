using Closely.BuildingBlocks.Privacy;
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

        await host.SendAsync(CommandQueues.LocateSubjectData, new LocateSubjectData { CaseId = caseId, SealedSubjectEmail = servers.Seal(caseId, BusSeal.SubjectEmail, " JANE.DOE@example.com") });

        await TestSettings.EventuallyAsync(() => Task.FromResult(!located.IsEmpty), "SubjectDataLocated");
        var message = Assert.Single(located);
        Assert.Equal(caseId, message.CaseId);
        Assert.Equal(
            "hetzner-fsn1-crm: people=1 shared_data=2 invoices=1 | hetzner-hel1-outreach: contacts=1 messages=3 | aws-euc1-analytics: profiles=1 activity_events=5",
            string.Join(" | ", message.Stores.Select(s => $"{s.StoreId}: {string.Join(' ', s.RowsPerEntity.Select(r => $"{r.Key}={r.Value}"))}")));
        Assert.Equal(6, message.Stores.Single(s => s.StoreId == "aws-euc1-analytics").TotalRows);
        Assert.All(message.Stores, s => Assert.Empty(s.Ambiguous));
    }

    [Fact]
    public async Task A_phone_the_subject_shares_with_another_person_is_reported_as_ambiguous_by_entity_and_kind_only()
    {
        var stores = await TestStores.CreateAsync(servers);
        await stores.ExecuteAsync("hetzner-fsn1-crm", "UPDATE people SET phone = (SELECT phone FROM people WHERE id = 50) WHERE id = 51");
        await using var host = await ServiceHost<LocateSubjectDataConsumer>.StartAsync(servers, "locate-ambiguous", options => options.Set(stores.Settings));
        var located = await host.RecordAsync<SubjectDataLocated>();

        var bystanderCase = Guid.NewGuid();
        await host.SendAsync(CommandQueues.LocateSubjectData, new LocateSubjectData { CaseId = bystanderCase, SealedSubjectEmail = servers.Seal(bystanderCase, BusSeal.SubjectEmail, await stores.EmailOfAsync(50)) });

        await TestSettings.EventuallyAsync(() => Task.FromResult(!located.IsEmpty), "SubjectDataLocated");
        var crm = Assert.Single(located).Stores.Single(s => s.StoreId == "hetzner-fsn1-crm");
        Assert.Equal(1, crm.RowsPerEntity["people"]);
        var ambiguous = Assert.Single(crm.Ambiguous);
        Assert.Equal(("people", "phone"), (ambiguous.Entity, ambiguous.Kind));
    }
}
