using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.DataLocator.Locating;
using Closely.DataLocator.Persistence;
using Closely.Stores;
using MassTransit;

namespace Closely.DataLocator;

public static class DataLocatorExtensions
{
    public static IHostApplicationBuilder AddDataLocatorServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<DataLocatorDbContext>(DataLocatorDbContext.SchemaName);
        builder.AddStores();
        builder.AddMessaging(bus => bus.AddConsumer<LocateSubjectDataConsumer, LocateSubjectDataConsumerDefinition>());
        return builder;
    }
}
