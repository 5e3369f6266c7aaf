using Closely.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Closely.Intake.Persistence;

public sealed class IntakeDbContext(DbContextOptions<IntakeDbContext> options) : ServiceDbContext(options)
{
    public const string SchemaName = "intake";

    public override string Schema => SchemaName;
}
