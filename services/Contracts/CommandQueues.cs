namespace Closely.Contracts;

/// <summary>
/// The queues commands are sent to. Events are published (one exchange per message type); commands
/// go to the one queue of the service that carries them out, so they wait there while it is down.
/// </summary>
public static class CommandQueues
{
    public const string VerifyIdentity = "verify-identity";
    public const string LocateSubjectData = "locate-subject-data";
    public const string ExecuteStoreAction = "execute-store-action";
    public const string SendNotification = "send-notification";
    public const string ExportStoreData = "export-store-data";
    public const string AssembleDataPackage = "assemble-data-package";
}
