using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.Identity.Persistence;

namespace Closely.Identity;

public static class IdentityExtensions
{
    public static IHostApplicationBuilder AddIdentityServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IdentityDbContext>(IdentityDbContext.SchemaName);
        builder.AddMessaging();
        return builder;
    }
}
