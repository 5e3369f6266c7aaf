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

    public Event<DataPackageReady> PackageReady { get; private set; } = null!;

    public Event<DataPackageDownloaded> PackageDownloaded { get; private set; } = null!;

    public Event<DataPackagePurged> PackagePurged { get; private set; } = null!;

    private void AccessAndPortability()
    {
        ForExistingCase(() => PackageReady, m => m.CaseId);
        ForExistingCase(() => PackageDownloaded, m => m.CaseId);
        ForExistingCase(() => PackagePurged, m => m.CaseId);

        During(Packaging,
            When(PackageReady)
                .Then(c => c.Saga.RecordPackage(c.Message, Now))
                .CloseAs(this, Completed, c => CaseClosing.PackageDelivered(c.Message.DownloadUrl, c.Message.ExpiresAt)));

        DuringAny(
            When(PackageDownloaded)
                .Then(c => c.Saga.RecordPackageDownloaded(c.Message, Now)),
            When(PackagePurged)
                .Then(c => c.Saga.RecordPackagePurged(c.Message, Now)));
    }
}
