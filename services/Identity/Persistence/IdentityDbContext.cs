using Closely.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Closely.Identity.Persistence;

public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : ServiceDbContext(options)
{
    public const string SchemaName = "identity";

    public override string Schema => SchemaName;
}
