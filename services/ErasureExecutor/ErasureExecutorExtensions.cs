using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.ErasureExecutor.Erasure;
using Closely.ErasureExecutor.Persistence;
using Closely.Stores;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Closely.ErasureExecutor;

public static class ErasureExecutorExtensions
{
    public static IHostApplicationBuilder AddErasureExecutorServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddServiceDatabase<ErasureExecutorDbContext>(ErasureExecutorDbContext.SchemaName);
        builder.AddStores();
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
