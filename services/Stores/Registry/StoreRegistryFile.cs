using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Closely.Stores.Registry;

// The registry file as written, before validation. Mutable for the YAML deserialiser only.
internal sealed class StoreRegistryFile
{
    public List<StoreEntry>? Stores { get; set; }

    public static StoreRegistryFile Parse(string yaml)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build();
        return deserializer.Deserialize<StoreRegistryFile?>(yaml) ?? new StoreRegistryFile();
    }
}

internal sealed class StoreEntry
{
    public string? Id { get; set; }

    public string? Provider { get; set; }

    public string? Region { get; set; }

    public string? Kind { get; set; }

    public string? Connection { get; set; }

    public List<EntityEntry>? Entities { get; set; }

    public InformationEntry? Information { get; set; }
}

internal sealed class InformationEntry
{
    public Dictionary<string, string>? Purposes { get; set; }

    public Dictionary<string, string>? LegalBasis { get; set; }

    public Dictionary<string, string>? Recipients { get; set; }

    public Dictionary<string, string>? Retention { get; set; }

    public Dictionary<string, string>? Source { get; set; }
}

internal sealed class EntityEntry
{
    public string? Name { get; set; }

    public string? Table { get; set; }

    public string? Key { get; set; }

    public List<IdentityEntry>? Identity { get; set; }

    public RelationEntry? Relation { get; set; }

    /// <summary><c>delete</c>, or a mapping <c>anonymise: [columns]</c>.</summary>
    public object? Erasure { get; set; }

    public Dictionary<string, string>? Categories { get; set; }

    public bool Provided { get; set; }

    public HoldEntry? Hold { get; set; }

    /// <summary>Logical field (<c>jobTitle</c>) to column, for rectification.</summary>
    public Dictionary<string, string>? Fields { get; set; }
}

internal sealed class HoldEntry
{
    public string? Basis { get; set; }

    public int? RetentionYears { get; set; }

    public string? From { get; set; }
}

internal sealed class IdentityEntry
{
    public string? Column { get; set; }

    public string? Kind { get; set; }
}

internal sealed class RelationEntry
{
    public string? Parent { get; set; }

    public string? Column { get; set; }
}
