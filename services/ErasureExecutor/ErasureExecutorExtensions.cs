using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Privacy;
using Closely.ErasureExecutor.Erasure;
using Closely.Stores;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Closely.ErasureExecutor;

/// <summary>
/// ErasureExecutor keeps no state of its own: the record of each store action is the ledger in the store itself
/// (ADR 12), so it needs the stores and the bus, not the platform database; and the platform's keys, to open the
/// sealed corrections of a rectification (ADR 29).
/// </summary>
public static class ErasureExecutorExtensions
{
    public static IHostApplicationBuilder AddErasureExecutorServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStores();
        builder.AddPersonalDataProtection();
        builder.Services.AddOptions<ErasureResilienceOptions>()
            .Bind(builder.Configuration.GetSection(ErasureResilienceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StorePipelines>();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ErasureMetrics>();
        builder.AddMessaging(bus => bus.AddConsumer<ExecuteStoreActionConsumer, ExecuteStoreActionConsumerDefinition>());
        return builder;
    }
}
