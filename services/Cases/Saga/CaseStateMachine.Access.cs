using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using MassTransit;

namespace Closely.Cases.Saga;

// Access and portability: every store has exported the subject's rows (the execution phase, with StoreActionKind.Export),
// DataLocator assembles the one package, the requester gets the link to its download page, and the case records the
// download and the purge when the link expires.
public sealed partial class CaseStateMachine
{
    /// <summary>Every store has exported: DataLocator builds the package.</summary>
    public State Packaging { get; private set; } = null!;

    /// <summary>The package is built and held for the DPO's review before its link goes out.</summary>
    public State AwaitingPackageReview { get; private set; } = null!;

    public Event<ReleaseDataPackage> PackageReleased { get; private set; } = null!;

    public Event<DataPackageReady> PackageReady { get; private set; } = null!;

    public Event<DataPackageDownloaded> PackageDownloaded { get; private set; } = null!;

    public Event<DataPackagePurged> PackagePurged { get; private set; } = null!;

    private void AccessAndPortability()
    {
        ForExistingCase(() => PackageReady, m => m.CaseId);
        ForExistingCase(() => PackageDownloaded, m => m.CaseId);
        ForExistingCase(() => PackagePurged, m => m.CaseId);
        ForExistingCase(() => PackageReleased, m => m.CaseId);

        // Held for review, the package waits for the DPO; released, it is asked for again, and DataLocator answers with
        // the same package and a link made afresh (the case never keeps the link).
        During(Packaging,
            When(PackageReady)
                .Then(c => c.Saga.RecordPackage(c.Message, Now))
                .IfElse(c => _holdPackagesForReview && c.Saga.Package!.ReleasedBy is null,
                    held => held
                        .ThenAsync(c => Notices.ToDpo(c, Notice.PackageReview))
                        .TransitionTo(AwaitingPackageReview)
                        .PlanDeadlines(this),
                    deliver => deliver
                        .Then(c => c.Saga.DeliverPackage(Now))
                        .CloseAs(this, Completed, c => CaseClosing.PackageDelivered(c.Message.DownloadUrl(_protector), c.Message.ExpiresAt))));

        During(AwaitingPackageReview,
            When(PackageReleased)
                .Then(c => c.Saga.ReleasePackage(c.Message.Actor, c.Message.Note, Now))
                .Then(c => c.Saga.StartStep(Now))
                .ThenAsync(c => c.SendAssembleDataPackage())
                .TransitionTo(Packaging)
                .PlanDeadlines(this));

        DuringAny(
            When(PackageDownloaded)
                .Then(c => c.Saga.RecordPackageDownloaded(c.Message, Now)),
            When(PackagePurged)
                .Then(c => c.Saga.RecordPackagePurged(c.Message, Now)));
    }
}
