namespace Closely.BuildingBlocks.Messaging;

/// <summary>
/// A failure that retrying cannot cure (bad input, an unknown store). The message goes to the error
/// queue at once instead of being retried.
/// </summary>
public sealed class PermanentFailureException : Exception
{
    public PermanentFailureException(string message)
        : base(message)
    {
    }

    public PermanentFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PermanentFailureException()
    {
    }
}
