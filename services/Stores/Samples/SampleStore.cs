namespace Closely.Stores.Samples;

/// <summary>A local sample store: its database, the registry store it stands for, its schema and synthetic data.</summary>
public sealed record SampleStore(
    string Database,
    string StoreId,
    IReadOnlyList<string> Schema,
    IReadOnlyList<string> Data,
    IReadOnlyList<string> DemoSubject);
