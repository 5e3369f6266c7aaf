using Closely.Contracts;
using Closely.Stores.Registry;

namespace Closely.Stores.Operations;

/// <summary>What the subject is known by; each value is normalised before any lookup.</summary>
public sealed record SubjectIdentifiers(string? Email = null, string? LinkedInUrl = null, string? Phone = null)
{
    /// <summary>The normalised value of <paramref name="kind"/>, or null when not given or empty after normalising.</summary>
    public string? Normalised(IdentityKind kind)
    {
        var raw = kind switch
        {
            IdentityKind.Email => Email,
            IdentityKind.LinkedIn => LinkedInUrl,
            IdentityKind.Phone => Phone,
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var value = IdentityNormaliser.Normalise(kind, raw);
        return value.Length == 0 ? null : value;
    }

    /// <summary>Every identifier given, normalised.</summary>
    public IEnumerable<Identifier> All() =>
        Enum.GetValues<IdentityKind>()
            .Select(kind => (kind, value: Normalised(kind)))
            .Where(x => x.value is not null)
            .Select(x => new Identifier(x.kind, x.value!));
}

/// <summary>One identifier in its normal form (<see cref="IdentityNormaliser"/>).</summary>
public sealed record Identifier(IdentityKind Kind, string Value)
{
    public bool IsDistinctive => IdentityNormaliser.IsDistinctive(Kind, Value);

    /// <summary>The form downstream systems match on: SHA-256 of the normal form (<see cref="HashedIdentifier"/>).</summary>
    public HashedIdentifier Hash() => HashedIdentifier.Of(IdentityKinds.Name(Kind), Value);
}
