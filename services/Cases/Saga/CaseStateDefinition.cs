using MassTransit;

namespace Closely.Cases.Saga;

public sealed class CaseStateDefinition : SagaDefinition<CaseState>
{
    public CaseStateDefinition()
    {
        Endpoint(e => e.Name = "case-saga");

        // Messages for one case may race; optimistic concurrency and retry sort that out, but a
        // modest limit keeps the retries rare.
        ConcurrentMessageLimit = 8;
    }
}
