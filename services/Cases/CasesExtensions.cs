using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Hosting;
using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Audit;
using Closely.Cases.Deadlines;
using Closely.Cases.Documents;
using Closely.Cases.DpoConsole;
using Closely.Cases.Persistence;
using Closely.Cases.Retention;
using Closely.Cases.Saga;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Closely.Cases;

public static class CasesExtensions
{
    public static IHostApplicationBuilder AddCasesServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CasesOptions>()
            .Bind(builder.Configuration.GetSection(CasesOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddStatutoryDeadlines(builder.Configuration);
        builder.Services.AddSingleton<CaseDeadlinePlanner>();
        builder.AddPersonalDataProtection();
        builder.AddServiceDatabase<CasesDbContext>(CasesDbContext.SchemaName);
        builder.AddCasesConsole();

        builder.AddMessaging(bus =>
        {
            bus.AddCaseSaga();
            bus.AddConsumer<AuthorityDocumentConsumer>();
        });

        builder.Services.AddSingleton<ReminderDigest>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReminderDigest>());
        builder.Services.AddPeriodicBackgroundService<DeadlineSweeper>();
        builder.Services.AddOptions<RetentionOptions>()
            .Bind(builder.Configuration.GetSection(RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddPeriodicBackgroundService<RetentionSweeper>();
        builder.AddCaseAudit();
        return builder;
    }

    /// <summary>The case saga with its PostgreSQL repository.</summary>
    public static IBusRegistrationConfigurator AddCaseSaga(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddSagaStateMachine<CaseStateMachine, CaseState, CaseStateDefinition>()
            .Repository(repository => repository.RegisterSagaRepository<
                CaseState,
                CasesDbContext,
                SagaConsumeContextFactory<CasesDbContext, CaseState>,
                CaseSagaRepositoryContextFactory>());
        return bus;
    }
}
