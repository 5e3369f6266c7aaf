using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.UnitTests.Cases;

/// <summary>
/// The saga's endpoint handles the messages of one case one after another (ADR 44): every message the state machine
/// consumes must be partitioned by its case, or two of them for one case race again and one waits out a retry.
/// </summary>
public sealed class CaseSagaPartitionTests
{
    [Fact]
    public async Task Every_message_the_state_machine_consumes_is_partitioned_by_the_case_it_names()
    {
        await using var harness = await CaseSagaHarness.StartAsync();
        var consumed = harness.Machine.Events
            .Select(e => e.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(MassTransit.Event<>)))
            .OfType<Type>()
            .Select(t => t.GetGenericArguments()[0])
            .ToHashSet();

        var partitioned = CaseStateDefinition.MessageTypes().ToHashSet();

        Assert.Superset(consumed, partitioned);
        Assert.Contains(typeof(StoreActionCompleted), partitioned);
        Assert.Contains(typeof(NotificationSent), partitioned);
        Assert.All(partitioned, t => Assert.Equal(typeof(Guid), t.GetProperty("CaseId")?.PropertyType));
    }
}
