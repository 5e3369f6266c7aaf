using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.DataLocator.Persistence;

namespace Closely.DataLocator;

public static class DataLocatorExtensions
{
    public static IHostApplicationBuilder AddDataLocatorServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<DataLocatorDbContext>(DataLocatorDbContext.SchemaName);
        builder.AddMessaging();
        return builder;
    }
}
