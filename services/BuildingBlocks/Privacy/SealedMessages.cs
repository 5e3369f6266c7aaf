using Closely.Contracts;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>The sealed fields of the platform's messages, opened by the consumer that needs them (<see cref="BusSeal"/>, ADR 38).</summary>
public static class SealedMessages
{
    public static string RequesterEmail(this DsrReceived message, PersonalDataProtector protector) =>
        BusSeal.Open(protector, Checked(message).CaseId, BusSeal.RequesterEmail, message.SealedRequesterEmail);

    public static string? AgentEmail(this DsrReceived message, PersonalDataProtector protector) =>
        BusSeal.OpenOptional(protector, Checked(message).CaseId, BusSeal.AgentEmail, message.SealedAgentEmail);

    public static string? Details(this DsrReceived message, PersonalDataProtector protector) =>
        BusSeal.OpenOptional(protector, Checked(message).CaseId, BusSeal.Details, message.SealedDetails);

    public static DocumentAttachment? AgentAuthority(this DsrReceived message, PersonalDataProtector protector) =>
        Checked(message).SealedAgentAuthority is { } authority
            ? BusSeal.OpenJson<DocumentAttachment>(protector, message.CaseId, BusSeal.AgentAuthority, authority)
            : null;

    public static Uri? StatusUrl(this DsrReceived message, PersonalDataProtector protector) =>
        BusSeal.OpenOptional(protector, Checked(message).CaseId, BusSeal.StatusUrl, message.SealedStatusUrl) is { } url ? new Uri(url) : null;

    public static string RequesterEmail(this VerifyIdentity message, PersonalDataProtector protector) =>
        BusSeal.Open(protector, Checked(message).CaseId, BusSeal.RequesterEmail, message.SealedRequesterEmail);

    public static string SubjectEmail(this LocateSubjectData message, PersonalDataProtector protector) =>
        BusSeal.Open(protector, Checked(message).CaseId, BusSeal.SubjectEmail, message.SealedSubjectEmail);

    public static string SubjectEmail(this ExportStoreData message, PersonalDataProtector protector) =>
        BusSeal.Open(protector, Checked(message).CaseId, BusSeal.SubjectEmail, message.SealedSubjectEmail);

    public static string SubjectEmail(this ExecuteStoreAction message, PersonalDataProtector protector) =>
        BusSeal.Open(protector, Checked(message).CaseId, BusSeal.SubjectEmail, message.SealedSubjectEmail);

    public static string RecipientEmail(this SendNotification message, PersonalDataProtector protector) =>
        BusSeal.Open(protector, Checked(message).CaseId, BusSeal.RecipientEmail, message.SealedRecipientEmail);

    public static IReadOnlyDictionary<string, string> Values(this SendNotification message, PersonalDataProtector protector) =>
        BusSeal.OpenJson<Dictionary<string, string>>(protector, Checked(message).CaseId, BusSeal.NotificationValues, message.SealedValues);

    public static Uri DownloadUrl(this DataPackageReady message, PersonalDataProtector protector) =>
        new(BusSeal.Open(protector, Checked(message).CaseId, BusSeal.DownloadUrl, message.SealedDownloadUrl));

    private static T Checked<T>(T message)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        return message;
    }
}
