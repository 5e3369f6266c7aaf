using Closely.Cases.Audit;
using Closely.Cases.Saga;
using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Closely.Cases.Persistence;

/// <summary>
/// The case saga's repository on PostgreSQL (MassTransit.EntityFrameworkCore is not available here).
/// Optimistic concurrency: every update is <c>UPDATE ... WHERE version = @loaded</c> and bumps the
/// version; zero rows updated, or a second insert of the same case, raises
/// <see cref="ConcurrencyException"/>, and the saga endpoint's retry then replays the message on the
/// current row. See docs/adr/0002-case-saga-repository.md.
/// </summary>
public sealed class CaseSagaRepositoryContextFactory(
    CasesDbContext db,
    CaseAuditChain chain,
    ISagaConsumeContextFactory<CasesDbContext, CaseState> consumeContextFactory) : ISagaRepositoryContextFactory<CaseState>
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<CaseState, T>> next)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(next);

        // A retried message must see the row as it is now, not as this scope last tracked it.
        db.ChangeTracker.Clear();
        var repositoryContext = new CaseSagaRepositoryContext<T>(db, chain, context, consumeContextFactory);
        await next.Send(repositoryContext);
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<CaseState> query, IPipe<SagaRepositoryQueryContext<CaseState, T>> next)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(next);

        db.ChangeTracker.Clear();
        var instances = await db.Cases.Where(query.FilterExpression).ToListAsync(context.CancellationToken);
        var repositoryContext = new CaseSagaRepositoryContext<T>(db, chain, context, consumeContextFactory);
        await next.Send(new LoadedSagaRepositoryQueryContext<CaseState, T>(repositoryContext, instances));
    }

    public void Probe(ProbeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Add("persistence", "postgresql");
    }
}

internal sealed class CaseSagaRepositoryContext<TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<CaseState, TMessage>
    where TMessage : class
{
    private const string UniqueViolation = "23505";

    private readonly CasesDbContext _db;
    private readonly CaseAuditChain _chain;
    private readonly ConsumeContext<TMessage> _consumeContext;
    private readonly ISagaConsumeContextFactory<CasesDbContext, CaseState> _factory;

    public CaseSagaRepositoryContext(
        CasesDbContext db,
        CaseAuditChain chain,
        ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<CasesDbContext, CaseState> factory)
        : base(consumeContext)
    {
        _db = db;
        _chain = chain;
        _consumeContext = consumeContext;
        _factory = factory;
    }

    public Task<SagaConsumeContext<CaseState, TMessage>> Add(CaseState instance) =>
        _factory.CreateSagaConsumeContext(_db, _consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<CaseState, TMessage>?> Insert(CaseState instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var entry = _db.Cases.Add(instance);
        try
        {
            await SaveWithAuditAsync(instance);
        }
        catch (DbUpdateException exception) when (IsUniqueViolation(exception))
        {
            // The case exists already: MassTransit then loads it and applies the message to it.
            entry.State = EntityState.Detached;
            return null;
        }

        return await _factory.CreateSagaConsumeContext(_db, _consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<CaseState, TMessage>?> Load(Guid correlationId)
    {
        var instance = await _db.Cases.SingleOrDefaultAsync(c => c.CorrelationId == correlationId, CancellationToken);
        return instance is null
            ? null
            : await _factory.CreateSagaConsumeContext(_db, _consumeContext, instance, SagaConsumeContextMode.Load);
    }

    /// <summary>Persists a new case. A concurrent first message for the same case makes this one retry.</summary>
    public async Task Save(SagaConsumeContext<CaseState> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var saga = context.Saga;
        saga.Version = 1;
        _db.Cases.Add(saga);
        try
        {
            await SaveWithAuditAsync(saga);
        }
        catch (DbUpdateException exception) when (IsUniqueViolation(exception))
        {
            throw new ConcurrencyException("The case was created concurrently.", typeof(CaseState), saga.CorrelationId, exception);
        }
    }

    public async Task Update(SagaConsumeContext<CaseState> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var saga = context.Saga;
        saga.Version++;
        try
        {
            await SaveWithAuditAsync(saga);
        }
        catch (DbUpdateConcurrencyException exception)
        {
            throw new ConcurrencyException("The case was changed concurrently.", typeof(CaseState), saga.CorrelationId, exception);
        }
    }

    public async Task Delete(SagaConsumeContext<CaseState> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _db.Cases.Remove(context.Saga);
        try
        {
            await _db.SaveChangesAsync(CancellationToken);
        }
        catch (DbUpdateConcurrencyException exception)
        {
            throw new ConcurrencyException("The case was changed concurrently.", typeof(CaseState), context.Saga.CorrelationId, exception);
        }
    }

    public Task Discard(SagaConsumeContext<CaseState> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<CaseState> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entry = _db.ChangeTracker.Entries<CaseState>().FirstOrDefault(e => e.Entity.CorrelationId == context.Saga.CorrelationId);
        if (entry is not null)
        {
            entry.State = EntityState.Unchanged;
        }

        return Task.CompletedTask;
    }

    public Task<SagaConsumeContext<CaseState, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, CaseState instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_db, consumeContext, instance, mode);

    /// <summary>The case and the audit entries its message made are saved in one transaction.</summary>
    private Task SaveWithAuditAsync(CaseState saga) => _db.SaveWithAuditAsync(saga, _chain, CancellationToken);

    private static bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: UniqueViolation };
}
