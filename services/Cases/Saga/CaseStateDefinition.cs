using System.Linq.Expressions;
using System.Reflection;
using MassTransit;

namespace Closely.Cases.Saga;

/// <summary>
/// The saga's endpoint. Messages for one case are handled one after another (partitioned by case id, ADR 44): the
/// three stores of a case answer at the same moment, and handled side by side they loaded the same version of the case,
/// so all but one save failed on the version check and waited out the retry's back-off while holding an endpoint slot.
/// Optimistic concurrency and the retry stay for the writers outside this process (a second instance, the console).
/// </summary>
public sealed class CaseStateDefinition : SagaDefinition<CaseState>
{
    public CaseStateDefinition()
    {
        Endpoint(e => e.Name = "case-saga");
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<CaseState> sagaConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        var partitioner = endpointConfigurator.CreatePartitioner(ConcurrentMessageLimit ?? 8);
        foreach (var messageType in MessageTypes())
        {
            PartitionMethod.MakeGenericMethod(messageType).Invoke(null, [sagaConfigurator, partitioner]);
        }
    }

    /// <summary>The message type of every event the state machine declares; each names its case by <c>CaseId</c>.</summary>
    public static IEnumerable<Type> MessageTypes() =>
        typeof(CaseStateMachine).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.PropertyType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Event<>))
            .Select(t => t.GetGenericArguments()[0])
            .Distinct();

    private static readonly MethodInfo PartitionMethod =
        typeof(CaseStateDefinition).GetMethod(nameof(PartitionByCase), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static void PartitionByCase<T>(ISagaConfigurator<CaseState> saga, IPartitioner partitioner)
        where T : class
    {
        var message = Expression.Parameter(typeof(T));
        var caseId = Expression.Lambda<Func<T, Guid>>(Expression.Property(message, "CaseId"), message).Compile();
        saga.Message<T>(m => m.UsePartitioner(partitioner, c => caseId(c.Message)));
    }
}
