namespace Closely.Stores.Registry;

/// <summary>The names identity kinds have in the registry file.</summary>
public static class IdentityKinds
{
    public static IdentityKind? TryParse(string? value) => value switch
    {
        "email" => IdentityKind.Email,
        "linkedin" => IdentityKind.LinkedIn,
        "phone" => IdentityKind.Phone,
        _ => null,
    };

    public static string Name(IdentityKind kind) => kind switch
    {
        IdentityKind.Email => "email",
        IdentityKind.LinkedIn => "linkedin",
        IdentityKind.Phone => "phone",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
