using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.UnitTests.Cases;

/// <summary>Access and portability in the saga: export from every store, one package, the link to the requester, the purge recorded.</summary>
public sealed class AccessPackageTests : IAsyncLifetime
{
    private CaseSagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await CaseSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData(DataSubjectRight.Access, DataPackageKind.Access)]
    [InlineData(DataSubjectRight.Portability, DataPackageKind.Portability)]
    public async Task A_verified_request_for_a_copy_exports_from_every_store_even_one_without_rows(DataSubjectRight right, DataPackageKind kind)
    {
        var caseId = await LocatedAsync(right, ("crm", 3), ("analytics", 0));

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        Assert.Equal(["crm", "analytics"], saga.Stores.Select(s => s.StoreId));
        var exports = _h.Sent<ExportStoreData>(caseId);
        Assert.Equal(["crm", "analytics"], exports.Select(e => e.StoreId));
        Assert.All(exports, e => Assert.Equal((kind, "jane.doe@example.com"), (e.Kind, e.SubjectEmail(_h.Protector))));
        Assert.Empty(_h.Sent<ExecuteStoreAction>(caseId));
    }

    [Fact]
    public async Task Once_every_store_has_exported_the_package_is_assembled_and_its_link_goes_to_the_requester()
    {
        var caseId = await LocatedAsync(DataSubjectRight.Access, ("crm", 3), ("analytics", 0));
        await _h.PublishAsync(Exported(caseId, "crm", 3));
        Assert.Empty(_h.Sent<AssembleDataPackage>(caseId));
        await _h.PublishAsync(Exported(caseId, "analytics", 0));

        await _h.WaitForStateAsync(caseId, _h.Machine.Packaging);
        var assemble = Assert.Single(_h.Sent<AssembleDataPackage>(caseId));
        Assert.Equal((DataPackageKind.Access, "en"), (assemble.Kind, assemble.Language));
        Assert.Equal(["crm", "analytics"], assemble.StoreIds);

        var ready = Ready(caseId);
        await _h.PublishAsync(ready);

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Equal((ready.PackageId, ready.Sha256, 3), (saga.Package!.PackageId, saga.Package.Sha256, saga.Package.Contents.Sum(c => c.Rows)));
        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "data-package-ready"));
        Assert.Equal(("jane.doe@example.com", ready.DownloadUrl(_h.Protector).ToString()), (notice.RecipientEmail(_h.Protector), notice.Values(_h.Protector)["downloadUrl"]));
        Assert.Empty(_h.Sent<SendNotification>(caseId, n => n.Template == "erasure-completed"));
    }

    [Fact]
    public async Task A_store_that_fails_to_export_is_retried_and_the_package_waits_for_it()
    {
        var caseId = await LocatedAsync(DataSubjectRight.Access, ("crm", 3), ("analytics", 2));
        await _h.PublishAsync(Exported(caseId, "crm", 3));
        await _h.PublishAsync(new StoreActionFailed
        {
            CaseId = caseId, StoreId = "analytics", Action = StoreActionKind.Export, Reason = "store analytics could not be exported (unreachable)", FailedAt = CaseSagaHarness.Now,
        });

        await _h.WaitForStateAsync(caseId, _h.Machine.PartiallyCompleted);
        Assert.Empty(_h.Sent<AssembleDataPackage>(caseId));
        await _h.PublishAsync(new RetryStore { CaseId = caseId, StoreId = "analytics", Actor = "dpo" });
        Assert.Equal(2, _h.Sent<ExportStoreData>(caseId, e => e.StoreId == "analytics").Count);

        await _h.PublishAsync(Exported(caseId, "analytics", 2));
        await _h.WaitForStateAsync(caseId, _h.Machine.Packaging);
        Assert.Single(_h.Sent<AssembleDataPackage>(caseId));
    }

    [Fact]
    public async Task The_dpo_may_answer_without_a_store_that_keeps_failing_by_marking_it_done_and_the_package_is_built()
    {
        var caseId = await LocatedAsync(DataSubjectRight.Access, ("crm", 3), ("archive", 1));
        await _h.PublishAsync(Exported(caseId, "crm", 3));
        await _h.PublishAsync(new StoreActionFailed
        {
            CaseId = caseId, StoreId = "archive", Action = StoreActionKind.Export, Reason = "store archive could not be exported (unreachable)", FailedAt = CaseSagaHarness.Now,
        });
        await _h.WaitForStateAsync(caseId, _h.Machine.PartiallyCompleted);

        await _h.PublishAsync(new MarkStoreDone { CaseId = caseId, Actor = "dpo", StoreId = "archive", Evidence = "Archive copy sent by post, ticket OPS-77." });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Packaging);
        Assert.Equal("Archive copy sent by post, ticket OPS-77.", saga.Stores.Single(s => s.StoreId == "archive").ManualEvidence);
        Assert.Equal(["crm", "archive"], Assert.Single(_h.Sent<AssembleDataPackage>(caseId)).StoreIds);
    }

    [Fact]
    public async Task A_package_not_built_within_the_step_timeout_is_asked_for_again()
    {
        var caseId = await LocatedAsync(DataSubjectRight.Access, ("crm", 3));
        await _h.PublishAsync(Exported(caseId, "crm", 3));
        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Packaging);
        Assert.Equal((saga.StepStartedAt + _h.Options.StepTimeout, DeadlineKind.StepTimeout), (saga.NextDeadlineAt, saga.NextDeadlineKind));

        _h.Clock.Advance(_h.Options.StepTimeout);
        await _h.PublishAsync(new DeadlineReached { CaseId = caseId, Kind = DeadlineKind.StepTimeout, DeadlineAt = _h.Clock.GetUtcNow() });

        Assert.Equal(2, _h.Sent<AssembleDataPackage>(caseId).Count);
        Assert.Equal(_h.Machine.Packaging.Name, saga.CurrentState);
    }

    [Fact]
    public async Task The_download_and_the_purge_are_recorded_on_the_closed_case_once()
    {
        var caseId = await LocatedAsync(DataSubjectRight.Portability, ("crm", 1));
        await _h.PublishAsync(Exported(caseId, "crm", 1));
        await _h.WaitForStateAsync(caseId, _h.Machine.Packaging);
        var ready = Ready(caseId);
        await _h.PublishAsync(ready);
        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);

        await _h.PublishAsync(new DataPackageDownloaded { CaseId = caseId, PackageId = ready.PackageId, DownloadedAt = CaseSagaHarness.Now.AddHours(1) });
        await _h.PublishAsync(new DataPackagePurged { CaseId = caseId, PackageId = ready.PackageId, PurgedAt = ready.ExpiresAt });
        var entries = saga.AuditCount;
        await _h.PublishAsync(new DataPackagePurged { CaseId = caseId, PackageId = ready.PackageId, PurgedAt = ready.ExpiresAt.AddMinutes(1) });

        Assert.Equal(CaseSagaHarness.Now.AddHours(1), saga.Package!.DownloadedAt);
        Assert.Equal(ready.ExpiresAt, saga.Package.PurgedAt);
        Assert.Equal(entries, saga.AuditCount);
        Assert.Equal(_h.Machine.Completed.Name, saga.CurrentState);
    }

    [Fact]
    public async Task A_package_held_for_review_goes_out_once_the_dpo_releases_it_with_a_link_made_afresh()
    {
        await _h.DisposeAsync();
        _h = await CaseSagaHarness.StartAsync(o => o.HoldDataPackagesForReview = true);
        var caseId = await LocatedAsync(DataSubjectRight.Access, ("crm", 3));
        await _h.PublishAsync(Exported(caseId, "crm", 3));
        await _h.WaitForStateAsync(caseId, _h.Machine.Packaging);
        var built = Ready(caseId);
        await _h.PublishAsync(built);

        var held = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingPackageReview);
        Assert.Equal(3, held.Package!.Contents.Sum(c => c.Rows));
        Assert.Null(held.Package.DeliveredAt);
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "dpo-action-needed" && n.Values(_h.Protector)["action"].Contains("data package", StringComparison.Ordinal)));
        Assert.Empty(_h.Sent<SendNotification>(caseId, n => n.Template == "data-package-ready"));

        await _h.PublishAsync(new ReleaseDataPackage { CaseId = caseId, Actor = "dpo", Note = "Checked the counts against the stores." });
        await _h.WaitForStateAsync(caseId, _h.Machine.Packaging);
        Assert.Equal(2, _h.Sent<AssembleDataPackage>(caseId).Count);
        var relinked = built with { SealedDownloadUrl = _h.Seal(caseId, BusSeal.DownloadUrl, "http://127.0.0.1:5400/download/fresh?lang=en") };
        await _h.PublishAsync(relinked);

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Equal("dpo", saga.Package!.ReleasedBy);
        Assert.NotNull(saga.Package.DeliveredAt);
        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "data-package-ready"));
        Assert.Equal(relinked.DownloadUrl(_h.Protector).ToString(), notice.Values(_h.Protector)["downloadUrl"]);
    }

    private async Task<Guid> LocatedAsync(DataSubjectRight right, params (string Store, int Rows)[] stores)
    {
        var caseId = await _h.ReceiveAsync(right);
        await _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now });
        await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        await _h.PublishAsync(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores = stores.Select(s => new StoreFindings { StoreId = s.Store, RowsPerEntity = new Dictionary<string, int> { ["people"] = s.Rows } }).ToList(),
        });
        return caseId;
    }

    [Fact]
    public async Task An_export_that_left_a_shared_identifier_alone_is_packaged_and_the_dpo_is_told_what_was_left_out()
    {
        var caseId = await LocatedAsync(DataSubjectRight.Access, ("crm", 3), ("analytics", 0));
        await _h.PublishAsync(Exported(caseId, "crm", 3) with { Ambiguous = [new AmbiguousIdentifier { Entity = "people", Kind = "phone" }] });
        await _h.PublishAsync(Exported(caseId, "analytics", 0));

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Packaging);
        Assert.Single(_h.Sent<AssembleDataPackage>(caseId));
        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.NotificationKey == "ambiguous-match"));
        Assert.Equal(_h.Options.DpoEmail, notice.RecipientEmail(_h.Protector));
        Assert.Contains("crm: people by phone", notice.Values(_h.Protector)["action"], StringComparison.Ordinal);
        Assert.Single(saga.PendingAudit, e => e.Action == "ambiguous-match");
    }

    private static StoreActionCompleted Exported(Guid caseId, string store, int rows) => new()
    {
        CaseId = caseId, StoreId = store, Action = StoreActionKind.Export, RowsAffected = rows, CompletedAt = CaseSagaHarness.Now,
    };

    private DataPackageReady Ready(Guid caseId) => new()
    {
        CaseId = caseId,
        PackageId = Guid.NewGuid(),
        Contents = [new DataPackageEntry { StoreId = "crm", Entity = "people", Rows = 3 }],
        Sha256 = new string('a', 64),
        Bytes = 1234,
        CreatedAt = CaseSagaHarness.Now,
        ExpiresAt = CaseSagaHarness.Now.AddDays(7),
        SealedDownloadUrl = _h.Seal(caseId, BusSeal.DownloadUrl, "http://127.0.0.1:5400/download/token?lang=en"),
    };
}
