using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.ErasureExecutor.Persistence;

namespace Closely.ErasureExecutor;

public static class ErasureExecutorExtensions
{
    public static IHostApplicationBuilder AddErasureExecutorServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ErasureExecutorDbContext>(ErasureExecutorDbContext.SchemaName);
        builder.AddMessaging();
        return builder;
    }
}
