using Closely.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Closely.ErasureExecutor.Persistence;

public sealed class ErasureExecutorDbContext(DbContextOptions<ErasureExecutorDbContext> options) : ServiceDbContext(options)
{
    public const string SchemaName = "erasure_executor";

    public override string Schema => SchemaName;
}
