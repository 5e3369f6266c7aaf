using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Closely.BuildingBlocks.Persistence;

/// <summary>
/// Base for each service's DbContext: every service owns one schema in the platform database and
/// keeps its own table of processed messages there.
/// </summary>
public abstract class ServiceDbContext(DbContextOptions options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    /// <summary>The schema this service owns.</summary>
    public abstract string Schema { get; }

    /// <summary>
    /// Claims <paramref name="key"/> inside the current transaction. Returns false when the key was
    /// already claimed, i.e. the work was done before and must not be done again.
    /// </summary>
    public async Task<bool> TryClaimAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The schema is the service's own constant; the values travel as parameters.
        var sql = $"""INSERT INTO "{Schema}".processed_messages (key, processed_at) VALUES (@key, @at) ON CONFLICT (key) DO NOTHING""";
        var inserted = await Database.ExecuteSqlRawAsync(
            sql, [new NpgsqlParameter("key", key), new NpgsqlParameter("at", now)], cancellationToken);
        return inserted == 1;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<ProcessedMessage>(entity =>
        {
            entity.ToTable("processed_messages");
            entity.HasKey(m => m.Key);
            entity.Property(m => m.Key).HasColumnName("key").HasMaxLength(200);
            entity.Property(m => m.ProcessedAt).HasColumnName("processed_at");
        });
    }
}
