using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Closely.BuildingBlocks.Persistence;

/// <summary>
/// The DbContext of a service whose consumers claim the work they do: it keeps a table of processed messages in its
/// schema, and a consumer claims a key in the same transaction as its effect (see <see cref="TryClaimAsync"/>).
/// </summary>
public abstract class ClaimingDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

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
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<ProcessedMessage>(entity =>
        {
            entity.ToTable("processed_messages");
            entity.HasKey(m => m.Key);
            entity.Property(m => m.Key).HasColumnName("key").HasMaxLength(200);
            entity.Property(m => m.ProcessedAt).HasColumnName("processed_at");
        });
    }
}
