namespace Closely.BuildingBlocks.Persistence;

/// <summary>
/// A record that a consumer has done its work for one key (e.g. case + step). Consumers claim the key
/// in the same transaction as their effect, so a redelivered message finds it claimed and does nothing.
/// </summary>
public sealed class ProcessedMessage
{
    public required string Key { get; init; }

    public required DateTimeOffset ProcessedAt { get; init; }
}
