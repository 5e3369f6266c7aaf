using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Closely.Stores.Registry;

/// <summary>
/// Reads and validates the registry. Every problem is reported at once, each naming its entry, e.g.
/// <c>stores[1] (hetzner-hel1-outreach): entity 'messages' relation points at unknown entity 'persons'</c>.
/// </summary>
public static partial class StoreRegistryLoader
{
    private static readonly Dictionary<string, string[]> RegionsByProvider = new(StringComparer.Ordinal)
    {
        ["hetzner"] = ["fsn1-de", "hel1-fi"],
        ["aws"] = ["eu-central-1"],
    };

    public static StoreRegistry LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new StoreRegistryException($"Store registry file '{path}' does not exist (set Stores:RegistryPath).");
        }

        return Load(File.ReadAllText(path));
    }

    public static StoreRegistry Load(string yaml)
    {
        StoreRegistryFile file;
        try
        {
            file = StoreRegistryFile.Parse(yaml);
        }
        catch (YamlException e)
        {
            throw new StoreRegistryException($"Store registry is not valid YAML at line {e.Start.Line}: {e.Message}", e);
        }

        var errors = new List<string>();
        var stores = new List<StoreDefinition>();
        if (file.Stores is not { Count: > 0 })
        {
            errors.Add("stores: the registry lists no store");
        }
        else
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < file.Stores.Count; i++)
            {
                var store = Validate(file.Stores[i], $"stores[{i}] ({file.Stores[i].Id ?? "no id"})", errors);
                if (store is not null && !ids.Add(store.Id))
                {
                    errors.Add($"stores[{i}] ({store.Id}): id is used by another store");
                }

                if (store is not null)
                {
                    stores.Add(store);
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new StoreRegistryException("Store registry is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
            {
                Errors = errors,
            };
        }

        return new StoreRegistry(stores);
    }

    private static StoreDefinition? Validate(StoreEntry entry, string at, List<string> errors)
    {
        var before = errors.Count;
        if (entry.Id is null || !StoreIdPattern().IsMatch(entry.Id))
        {
            errors.Add($"{at}: id must be lower-case letters, digits and dashes");
        }

        if (entry.Provider is null || !RegionsByProvider.TryGetValue(entry.Provider, out var regions))
        {
            errors.Add($"{at}: provider '{entry.Provider}' is not one of {string.Join(", ", RegionsByProvider.Keys)}");
        }
        else if (entry.Region is null || !regions.Contains(entry.Region))
        {
            errors.Add($"{at}: region '{entry.Region}' is not a {entry.Provider} region ({string.Join(", ", regions)})");
        }

        if (entry.Kind != "postgres")
        {
            errors.Add($"{at}: kind '{entry.Kind}' is not supported (postgres)");
        }

        if (string.IsNullOrWhiteSpace(entry.Connection))
        {
            errors.Add($"{at}: connection (the name of a connection string) is missing");
        }

        var entities = ValidateEntities(entry.Entities ?? [], at, errors);
        var information = ValidateInformation(entry.Information, at, errors);
        return errors.Count > before || information is null
            ? null
            : new StoreDefinition(entry.Id!, entry.Provider!, entry.Region!, entry.Kind!, entry.Connection!, entities) { Information = information };
    }

    private static ProcessingInformation? ValidateInformation(InformationEntry? entry, string at, List<string> errors)
    {
        if (entry is null)
        {
            errors.Add($"{at}: information (purposes, legal_basis, recipients, retention, source) is missing");
            return null;
        }

        var purposes = Text(entry.Purposes, $"{at}: information purposes", errors);
        var legalBasis = Text(entry.LegalBasis, $"{at}: information legal_basis", errors);
        var recipients = Text(entry.Recipients, $"{at}: information recipients", errors);
        var retention = Text(entry.Retention, $"{at}: information retention", errors);
        var source = Text(entry.Source, $"{at}: information source", errors);
        return purposes is null || legalBasis is null || recipients is null || retention is null || source is null
            ? null
            : new ProcessingInformation(purposes, legalBasis, recipients, retention, source);
    }

    /// <summary>A text given in every language of <see cref="LocalisedText.Languages"/>.</summary>
    private static LocalisedText? Text(Dictionary<string, string>? byLanguage, string what, List<string> errors)
    {
        var missing = LocalisedText.Languages.Where(l => byLanguage is null || string.IsNullOrWhiteSpace(byLanguage.GetValueOrDefault(l))).ToList();
        if (missing.Count > 0)
        {
            errors.Add($"{what} has no text in {string.Join(", ", missing)}");
            return null;
        }

        return new LocalisedText(byLanguage!.Where(t => LocalisedText.Languages.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value.Trim(), StringComparer.Ordinal));
    }

    private static List<EntityDefinition> ValidateEntities(List<EntityEntry> entries, string at, List<string> errors)
    {
        if (entries.Count == 0)
        {
            errors.Add($"{at}: entities are missing");
            return [];
        }

        var entities = new List<EntityDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entity = ValidateEntity(entries[i], $"{at}: entity '{entries[i].Name ?? $"entities[{i}]"}'", errors);
            if (entity is null)
            {
                continue;
            }

            if (!names.Add(entity.Name))
            {
                errors.Add($"{at}: entity '{entity.Name}' is defined twice");
                continue;
            }

            entities.Add(entity);
        }

        var byName = entities.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var entity in entities)
        {
            ValidateRelation(entity, byName, at, errors);
        }

        return ParentsFirst(entities, byName, at, errors);
    }

    private static EntityDefinition? ValidateEntity(EntityEntry entry, string at, List<string> errors)
    {
        var before = errors.Count;
        RequireIdentifier(entry.Name, $"{at}: name", errors);
        RequireIdentifier(entry.Table, $"{at}: table", errors);
        RequireIdentifier(entry.Key, $"{at}: key", errors);

        var identity = new List<IdentityField>();
        foreach (var field in entry.Identity ?? [])
        {
            RequireIdentifier(field.Column, $"{at}: identity column", errors);
            if (IdentityKinds.TryParse(field.Kind) is { } kind)
            {
                identity.Add(new IdentityField(field.Column ?? "", kind));
            }
            else
            {
                errors.Add($"{at}: identity column '{field.Column}' has unknown kind '{field.Kind}' (email, linkedin, phone)");
            }
        }

        EntityRelation? relation = null;
        if (entry.Relation is not null)
        {
            RequireIdentifier(entry.Relation.Parent, $"{at}: relation parent", errors);
            RequireIdentifier(entry.Relation.Column, $"{at}: relation column", errors);
            relation = new EntityRelation(entry.Relation.Parent ?? "", entry.Relation.Column ?? "");
        }

        if (identity.Count == 0 && relation is null)
        {
            errors.Add($"{at}: has neither identity fields nor a relation, so the subject's rows cannot be found");
        }

        LegalHold? hold = null;
        if (entry.Hold is { } held)
        {
            if (string.IsNullOrWhiteSpace(held.Basis))
            {
                errors.Add($"{at}: hold names no legal basis");
            }

            if (held.RetentionYears is not (>= 1 and <= 100))
            {
                errors.Add($"{at}: hold retention_years must be 1 to 100");
            }

            RequireIdentifier(held.From, $"{at}: hold from (the date column the retention runs from)", errors);
            hold = new LegalHold(held.Basis?.Trim() ?? "", held.RetentionYears ?? 0, held.From ?? "");
        }

        var erasure = ParseErasure(entry.Erasure, identity, at, errors);
        var categories = Text(entry.Categories, $"{at}: categories", errors);
        var fields = ParseFields(entry.Fields, hold, at, errors);
        return errors.Count > before || erasure is null || categories is null
            ? null
            : new EntityDefinition(entry.Name!, entry.Table!, entry.Key!, identity, relation, erasure, hold)
            {
                Categories = categories, Provided = entry.Provided, Fields = fields,
            };
    }

    // Logical field -> column for rectification: known fields, SQL names, one column per field. A held entity keeps its rows
    // as they are (the legal obligation is to keep the record as issued), so it maps none.
    private static Dictionary<string, string> ParseFields(Dictionary<string, string>? entries, LegalHold? hold, string at, List<string> errors)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (entries is null)
        {
            return fields;
        }

        if (hold is not null && entries.Count > 0)
        {
            errors.Add($"{at}: fields are mapped, but the entity is under a legal hold, which keeps its rows unchanged");
        }

        foreach (var (field, column) in entries)
        {
            if (Closely.Contracts.RectificationFields.Parse(field) is not { } known || known != field)
            {
                errors.Add($"{at}: field '{field}' is not one of {string.Join(", ", Closely.Contracts.RectificationFields.All)}");
                continue;
            }

            RequireIdentifier(column, $"{at}: field '{field}' column", errors);
            fields[known] = column ?? "";
        }

        foreach (var column in fields.Values.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{at}: column '{column.Key}' is mapped to more than one field");
        }

        return fields;
    }

    private static ErasureAction? ParseErasure(object? value, List<IdentityField> identity, string at, List<string> errors)
    {
        switch (value)
        {
            case "delete":
                return ErasureAction.Delete;
            case IDictionary<object, object> map when map.Count == 1 && map.TryGetValue("anonymise", out var columnsValue):
                var columns = (columnsValue as IList<object> ?? []).Select(c => c as string ?? "").ToList();
                if (columns.Count == 0)
                {
                    errors.Add($"{at}: erasure 'anonymise' lists no column");
                    return null;
                }

                foreach (var column in columns)
                {
                    RequireIdentifier(column, $"{at}: anonymise column", errors);
                }

                foreach (var field in identity.Where(f => !columns.Contains(f.Column)))
                {
                    errors.Add($"{at}: erasure 'anonymise' keeps identity column '{field.Column}'; list it among the columns");
                }

                return new ErasureAction(ErasureMode.Anonymise, columns);
            default:
                errors.Add($"{at}: erasure must be 'delete' or 'anonymise: [columns]'");
                return null;
        }
    }

    private static void ValidateRelation(EntityDefinition entity, Dictionary<string, EntityDefinition> byName, string at, List<string> errors)
    {
        if (entity.Relation is not { } relation)
        {
            return;
        }

        if (!byName.TryGetValue(relation.Parent, out var parent))
        {
            errors.Add($"{at}: entity '{entity.Name}' relation points at unknown entity '{relation.Parent}'");
        }
        else if (parent.Erasure.Mode == ErasureMode.Delete && entity.Erasure.Mode == ErasureMode.Anonymise)
        {
            errors.Add($"{at}: entity '{entity.Name}' is anonymised but its parent '{parent.Name}' is deleted; its foreign key would block the delete");
        }
    }

    // Parents before children: locating follows relations downwards, erasing goes upwards.
    private static List<EntityDefinition> ParentsFirst(List<EntityDefinition> entities, Dictionary<string, EntityDefinition> byName, string at, List<string> errors)
    {
        var ordered = new List<EntityDefinition>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var remaining = entities.ToList();
        while (remaining.Count > 0)
        {
            var ready = remaining
                .Where(e => e.Relation is null || placed.Contains(e.Relation.Parent) || !byName.ContainsKey(e.Relation.Parent))
                .ToList();
            if (ready.Count == 0)
            {
                errors.Add($"{at}: relations form a cycle among entities {string.Join(", ", remaining.Select(e => $"'{e.Name}'"))}");
                return ordered;
            }

            foreach (var entity in ready)
            {
                ordered.Add(entity);
                placed.Add(entity.Name);
                remaining.Remove(entity);
            }
        }

        return ordered;
    }

    private static void RequireIdentifier(string? value, string what, List<string> errors)
    {
        if (value is null || !SqlIdentifierPattern().IsMatch(value))
        {
            errors.Add($"{what} '{value}' must be a lower-case SQL name (letters, digits, underscores)");
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex StoreIdPattern();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SqlIdentifierPattern();
}
