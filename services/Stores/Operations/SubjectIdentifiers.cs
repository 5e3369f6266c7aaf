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

    /// <summary>This subject with <paramref name="value"/> as its <paramref name="kind"/>, unless one is known already.</summary>
    public SubjectIdentifiers With(IdentityKind kind, string value) => Normalised(kind) is not null
        ? this
        : kind switch
        {
            IdentityKind.Email => this with { Email = value },
            IdentityKind.LinkedIn => this with { LinkedInUrl = value },
            IdentityKind.Phone => this with { Phone = value },
            _ => this,
        };
}
