using Microsoft.Extensions.Compliance.Classification;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>
/// Marks a property, field or log parameter as personal data (an address, a name, free text from the requester, a
/// link token). The logging of every service redacts classified data (ServiceDefaults: redaction enabled, every
/// classification erased), so a value logged by accident — a <c>[LogProperties]</c> object, a parameter so marked —
/// never reaches a log line. A property stored in an encrypted column must carry it (<see cref="EncryptedColumns"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class PersonalDataAttribute : DataClassificationAttribute
{
    public PersonalDataAttribute()
        : base(new DataClassification("Closely", "PersonalData"))
    {
    }
}
