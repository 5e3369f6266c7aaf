using Closely.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Closely.DataLocator.Persistence;

public sealed class DataLocatorDbContext(DbContextOptions<DataLocatorDbContext> options) : ServiceDbContext(options)
{
    public const string SchemaName = "data_locator";

    public override string Schema => SchemaName;
}
