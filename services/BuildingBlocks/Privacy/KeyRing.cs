using System.Text.RegularExpressions;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>
/// Secret keys by id, one of them active: what is written now uses the active key and names its id, so that
/// a key can be replaced while what was written under the old one still reads. Made from configuration: a
/// single key setting (id <see cref="DefaultKeyId"/>, how the platform was first configured), a section of
/// keys by id, and the active id (<see cref="DefaultKeyId"/> when not set).
/// </summary>
public sealed partial class KeyRing
{
    public const string DefaultKeyId = "default";

    private readonly Dictionary<string, byte[]> _keys;

    private KeyRing(Dictionary<string, byte[]> keys, string activeKeyId)
    {
        _keys = keys;
        ActiveKeyId = activeKeyId;
    }

    public string ActiveKeyId { get; }

    public byte[] ActiveKey => _keys[ActiveKeyId];

    public IEnumerable<string> KeyIds => _keys.Keys;

    public bool TryGet(string keyId, out byte[] key) => _keys.TryGetValue(keyId, out key!);

    /// <summary>
    /// The ring of <paramref name="settings"/>; throws <see cref="InvalidOperationException"/> naming the setting
    /// that is wrong (see <see cref="Problem"/>).
    /// </summary>
    public static KeyRing Create(KeyRingSettings settings) =>
        TryCreate(settings, out var ring, out var problem) ? ring : throw new InvalidOperationException(problem);

    /// <summary>What is wrong with <paramref name="settings"/>, or null when they make a ring.</summary>
    public static string? Problem(KeyRingSettings settings) => TryCreate(settings, out _, out var problem) ? null : problem;

    private static bool TryCreate(KeyRingSettings settings, out KeyRing ring, out string problem)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ring = null!;
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(settings.SingleKey))
        {
            if (!KeySetting.TryDecode(settings.SingleKey, out var key))
            {
                problem = KeySetting.Problem(settings.SingleKeyName);
                return false;
            }

            keys[DefaultKeyId] = key;
        }

        foreach (var (id, value) in settings.Keys)
        {
            if (!KeyIdPattern().IsMatch(id) || settings.ReservedKeyIds.Contains(id, StringComparer.Ordinal))
            {
                problem = $"{settings.KeysName}:{id}: a key id is 1 to 32 letters, digits, '.', '_' or '-'" +
                    (settings.ReservedKeyIds.Count == 0 ? "" : $", and not {string.Join(" or ", settings.ReservedKeyIds)}") + ".";
                return false;
            }

            if (keys.ContainsKey(id))
            {
                problem = $"{settings.KeysName}:{id} and {settings.SingleKeyName} are both set; {settings.SingleKeyName} is the key with id '{DefaultKeyId}'.";
                return false;
            }

            if (!KeySetting.TryDecode(value, out var key))
            {
                problem = KeySetting.Problem($"{settings.KeysName}:{id}");
                return false;
            }

            keys[id] = key;
        }

        if (keys.Count == 0)
        {
            problem = $"{settings.SingleKeyName} (or {settings.KeysName}:<id> with {settings.ActiveKeyIdName}) is not set. Generate a key with: openssl rand -base64 32";
            return false;
        }

        var active = string.IsNullOrEmpty(settings.ActiveKeyId) ? DefaultKeyId : settings.ActiveKeyId;
        if (!keys.ContainsKey(active))
        {
            problem = $"{settings.ActiveKeyIdName} is '{active}', but no key has that id (configured: {string.Join(", ", keys.Keys.Order(StringComparer.Ordinal))}).";
            return false;
        }

        ring = new KeyRing(keys, active);
        problem = "";
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex KeyIdPattern();
}

/// <summary>The settings a <see cref="KeyRing"/> is made from, with their names for error messages.</summary>
public sealed record KeyRingSettings
{
    /// <summary>The key with id <see cref="KeyRing.DefaultKeyId"/>, e.g. <c>Privacy:EncryptionKey</c>.</summary>
    public string? SingleKey { get; init; }

    public required string SingleKeyName { get; init; }

    /// <summary>More keys by id, e.g. <c>Privacy:EncryptionKeys:2027</c>.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; init; } = new Dictionary<string, string>();

    public required string KeysName { get; init; }

    public string? ActiveKeyId { get; init; }

    public required string ActiveKeyIdName { get; init; }

    /// <summary>Ids the ring's owner gives a meaning of its own (e.g. the audit chain's unkeyed legacy entries).</summary>
    public IReadOnlyList<string> ReservedKeyIds { get; init; } = [];
}
