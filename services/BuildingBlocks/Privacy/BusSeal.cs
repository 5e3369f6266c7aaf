using System.Text.Json;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>
/// Personal data as it travels on the bus: encrypted by <see cref="PersonalDataProtector"/> with the platform's keys and
/// bound to the case and the field that carries it, so a broker, its logs, its <c>_error</c> queues or a consumer without
/// the keys sees no value, and a value copied into another case or field does not open (ADR 29, ADR 38). The one way a
/// message carries an address, a requester's text, a link that is a credential or a document.
/// </summary>
public static class BusSeal
{
    /// <summary>The data subject's address (the requester's, or for an agent's request the subject's).</summary>
    public const string RequesterEmail = "requester-email";

    public const string AgentEmail = "agent-email";

    /// <summary>What the requester wrote.</summary>
    public const string Details = "details";

    /// <summary>The agent's written authority, file name, type and bytes.</summary>
    public const string AgentAuthority = "agent-authority";

    /// <summary>The requester's status link, which carries the request's status token.</summary>
    public const string StatusUrl = "status-url";

    /// <summary>The address a store is searched by, in the commands to DataLocator and ErasureExecutor.</summary>
    public const string SubjectEmail = "subject-email";

    public const string RecipientEmail = "recipient-email";

    /// <summary>A notice's template values: links with tokens, reasons written by the DPO.</summary>
    public const string NotificationValues = "notification-values";

    /// <summary>The signed link to a data package's download page.</summary>
    public const string DownloadUrl = "download-url";

    public static byte[] Seal(PersonalDataProtector protector, Guid caseId, string field, string value)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return protector.Encrypt(value, Context(caseId, field));
    }

    public static byte[]? SealOptional(PersonalDataProtector protector, Guid caseId, string field, string? value) =>
        value is null ? null : Seal(protector, caseId, field, value);

    /// <summary>The value sealed for <paramref name="caseId"/> and <paramref name="field"/>; throws when it was sealed for another.</summary>
    public static string Open(PersonalDataProtector protector, Guid caseId, string field, byte[] sealedValue)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return protector.Decrypt(sealedValue, Context(caseId, field));
    }

    public static string? OpenOptional(PersonalDataProtector protector, Guid caseId, string field, byte[]? sealedValue) =>
        sealedValue is null ? null : Open(protector, caseId, field, sealedValue);

    /// <summary>A structured value (a list, a dictionary, a document) as JSON, sealed like a single value.</summary>
    public static byte[] SealJson<T>(PersonalDataProtector protector, Guid caseId, string field, T value)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return protector.EncryptBytes(JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web), Context(caseId, field));
    }

    public static T OpenJson<T>(PersonalDataProtector protector, Guid caseId, string field, byte[] sealedValue)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return JsonSerializer.Deserialize<T>(protector.DecryptBytes(sealedValue, Context(caseId, field)), JsonSerializerOptions.Web)
            ?? throw new JsonException($"The sealed {field} of case {caseId} is empty.");
    }

    private static EncryptionContext Context(Guid caseId, string field) => new("bus", field, caseId.ToString("D"));
}
