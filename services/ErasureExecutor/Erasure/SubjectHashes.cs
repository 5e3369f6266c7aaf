using Closely.Contracts;
using Closely.Stores.Operations;
using Closely.Stores.Registry;

namespace Closely.ErasureExecutor.Erasure;

/// <summary>The subject as downstream systems see it in <see cref="SubjectErased"/>: SHA-256 of each normalised identifier.</summary>
public static class SubjectHashes
{
    public static IReadOnlyList<HashedIdentifier> Of(SubjectIdentifiers subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return Enum.GetValues<IdentityKind>()
            .Select(kind => (kind, value: subject.Normalised(kind)))
            .Where(x => x.value is not null)
            .Select(x => HashedIdentifier.Of(IdentityKinds.Name(x.kind), x.value!))
            .ToList();
    }
}
