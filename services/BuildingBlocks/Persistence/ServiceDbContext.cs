using Microsoft.EntityFrameworkCore;

namespace Closely.BuildingBlocks.Persistence;

/// <summary>Base for each service's DbContext: every service with state owns one schema in the platform database.</summary>
public abstract class ServiceDbContext(DbContextOptions options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    /// <summary>The schema this service owns.</summary>
    public abstract string Schema { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDefaultSchema(Schema);
    }
}
