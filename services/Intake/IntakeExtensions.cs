using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.Intake.Persistence;

namespace Closely.Intake;

public static class IntakeExtensions
{
    public static IHostApplicationBuilder AddIntakeServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IntakeDbContext>(IntakeDbContext.SchemaName);
        builder.AddMessaging();
        return builder;
    }
}
