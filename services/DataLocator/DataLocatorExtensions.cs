using Closely.BuildingBlocks.Messaging;
using Closely.DataLocator.Locating;
using Closely.Stores;
using MassTransit;

namespace Closely.DataLocator;

/// <summary>DataLocator keeps no state of its own: it reads the stores and answers on the bus.</summary>
public static class DataLocatorExtensions
{
    public static IHostApplicationBuilder AddDataLocatorServices(this IHostApplicationBuilder builder)
    {
        builder.AddStores();
        builder.AddMessaging(bus => bus.AddConsumer<LocateSubjectDataConsumer, LocateSubjectDataConsumerDefinition>());
        return builder;
    }
}
