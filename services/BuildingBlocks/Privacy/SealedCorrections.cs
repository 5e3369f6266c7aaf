using Closely.Contracts;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>
/// A case's corrections (Art 16) as they travel on the bus: sealed by <see cref="BusSeal"/> (JSON, encrypted with the
/// platform's keys) and bound to the case and the message that carries them, so a broker, its logs or a consumer without
/// the keys sees no value, and a payload copied into another case or message does not open (ADR 29).
/// </summary>
public static class SealedCorrections
{
    /// <summary>What the requester asked for, in <see cref="DsrReceived"/>.</summary>
    public const string Requested = "requested";

    /// <summary>The values the DPO edited, from the console to the case.</summary>
    public const string Edited = "edited";

    /// <summary>What the DPO approved, in <see cref="ExecuteStoreAction"/>.</summary>
    public const string Approved = "approved";

    public static byte[] Seal(PersonalDataProtector protector, Guid caseId, string purpose, IReadOnlyList<FieldCorrection> corrections) =>
        BusSeal.SealJson(protector, caseId, Field(purpose), corrections);

    /// <summary>The corrections sealed for <paramref name="caseId"/> and <paramref name="purpose"/>; throws when they were sealed for another.</summary>
    public static IReadOnlyList<FieldCorrection> Open(PersonalDataProtector protector, Guid caseId, string purpose, byte[] sealedCorrections) =>
        BusSeal.OpenJson<List<FieldCorrection>>(protector, caseId, Field(purpose), sealedCorrections);

    private static string Field(string purpose) => "corrections-" + purpose;
}
