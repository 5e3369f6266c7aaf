namespace Closely.Stores.Registry;

/// <summary>The registry file is malformed; the message names every bad entry.</summary>
public sealed class StoreRegistryException : Exception
{
    public StoreRegistryException(string message)
        : base(message)
    {
    }

    public StoreRegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StoreRegistryException()
    {
    }

    public IReadOnlyList<string> Errors { get; init; } = [];
}
