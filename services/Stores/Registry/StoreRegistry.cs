namespace Closely.Stores.Registry;

/// <summary>The validated data map: every store the platform knows, by id.</summary>
public sealed class StoreRegistry
{
    private readonly Dictionary<string, StoreDefinition> _byId;

    public StoreRegistry(IReadOnlyList<StoreDefinition> stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        Stores = stores;
        _byId = stores.ToDictionary(s => s.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<StoreDefinition> Stores { get; }

    public StoreDefinition? Find(string storeId) => _byId.GetValueOrDefault(storeId);
}
