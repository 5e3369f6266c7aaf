using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;

namespace Closely.IntegrationTests.Stores;

// Rectify (Art 16, ADR 29): the sealed, approved corrections written once per case and store.
public sealed partial class ErasureExecutorTests
{
    private const string Outreach = "hetzner-hel1-outreach";

    [Fact]
    public async Task A_duplicate_rectify_command_writes_the_mapped_columns_once_and_publishes_the_recorded_result_again()
    {
        await using var host = await StartAsync(_stores.Settings);
        var rectified = await host.RecordAsync<SubjectRectified>();
        var command = Erase(Outreach) with { Action = StoreActionKind.Rectify };
        command = command with
        {
            SealedCorrections = SealedCorrections.Seal(servers.Protector(), command.CaseId, SealedCorrections.Approved,
            [
                new FieldCorrection { Field = "jobTitle", Correction = "Chief Data Officer" },
                new FieldCorrection { Field = "phone", Correction = "+49 30 1234567" },
            ]),
        };
        const string Title = "SELECT job_title FROM contacts WHERE email = 'jane.doe@example.com'";

        await host.SendAsync(CommandQueues.ExecuteStoreAction, command);
        await TestSettings.EventuallyAsync(() => Task.FromResult(rectified.Count == 1), "SubjectRectified");
        Assert.Equal("Chief Data Officer", await _stores.ScalarAsync<string>(Outreach, Title));

        // Someone edits the title afterwards; the re-sent command must not write it again.
        await _stores.ExecuteAsync(Outreach, "UPDATE contacts SET job_title = 'Edited later' WHERE email = 'jane.doe@example.com'");
        await host.SendAsync(CommandQueues.ExecuteStoreAction, command);
        await TestSettings.EventuallyAsync(() => Task.FromResult(rectified.Count == 2), "SubjectRectified again");

        Assert.Equal("Edited later", await _stores.ScalarAsync<string>(Outreach, Title));
        var first = rectified.First();
        // The outreach contacts have no phone column: only the job title is named.
        Assert.All(rectified, r => Assert.Equal((command.CaseId, Outreach, 1, 1, first.RectifiedAt), (r.CaseId, r.StoreId, r.SchemaVersion, r.RowsAffected, r.RectifiedAt)));
        Assert.All(rectified, r => Assert.Equal(["jobTitle"], r.Fields));
    }
}
