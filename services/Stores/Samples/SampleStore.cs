using Closely.Stores.Operations;

namespace Closely.Stores.Samples;

/// <summary>
/// A local sample store: its database, the registry store it stands for, its entity tables (each read through its
/// <c>_available</c> view, ADR 27, and granted to the services' store roles, ADR 40), its schema and synthetic data.
/// </summary>
public sealed record SampleStore(
    string Database,
    string StoreId,
    IReadOnlyList<string> EntityTables,
    IReadOnlyList<string> Tables,
    IReadOnlyList<string> Data,
    IReadOnlyList<string> DemoSubject)
{
    /// <summary>The tables, then the restriction list and each entity table's <c>_available</c> view.</summary>
    public IReadOnlyList<string> Schema =>
        [.. Tables, .. RestrictionList.Creation, .. EntityTables.Select(table => RestrictionList.AvailableView(table, "id"))];
}
