namespace Closely.Stores.Operations;

/// <summary>A registered store has no connection string in this deployment.</summary>
public sealed class StoreNotConfiguredException : Exception
{
    public StoreNotConfiguredException(string message)
        : base(message)
    {
    }

    public StoreNotConfiguredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StoreNotConfiguredException()
    {
    }
}
