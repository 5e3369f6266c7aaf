using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Persistence;
using Closely.Notification.Quota;
using Microsoft.EntityFrameworkCore;

namespace Closely.Notification.Persistence;

public sealed class NotificationDbContext(DbContextOptions<NotificationDbContext> options) : ServiceDbContext(options)
{
    public const string SchemaName = "notification";

    public override string Schema => SchemaName;

    public DbSet<NoticeDelivery> Deliveries => Set<NoticeDelivery>();

    public DbSet<RecipientDay> RecipientDays => Set<RecipientDay>();

    /// <summary>
    /// Holds a PostgreSQL session lock for one notice on this context's connection until disposed, so
    /// that two deliveries of the same command never send at once: the second waits, then finds the
    /// notice sent. The lock ends with the connection, so a killed process leaves nothing locked.
    /// </summary>
    public async Task<IAsyncDisposable> LockNoticeAsync(Guid caseId, string noticeKey, CancellationToken cancellationToken)
    {
        var key = BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"notice:{caseId:N}:{noticeKey}")));
        await Database.OpenConnectionAsync(cancellationToken);
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({key})", cancellationToken);
        return new NoticeLock(this, key);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<NoticeDelivery>(entity =>
        {
            entity.ToTable("deliveries");
            entity.HasKey(d => new { d.CaseId, d.NoticeKey });
            entity.Property(d => d.CaseId).HasColumnName("case_id");
            entity.Property(d => d.NoticeKey).HasColumnName("notice_key").HasMaxLength(100);
            entity.Property(d => d.Template).HasColumnName("template").HasMaxLength(100);
            entity.Property(d => d.Attempts).HasColumnName("attempts");
            entity.Property(d => d.FirstAttemptAt).HasColumnName("first_attempt_at");
            entity.Property(d => d.SentAt).HasColumnName("sent_at");
            entity.Property(d => d.SuppressedAt).HasColumnName("suppressed_at");
        });
        modelBuilder.Entity<RecipientDay>(entity =>
        {
            entity.ToTable("recipient_days");
            entity.HasKey(r => new { r.RecipientHash, r.Day });
            entity.Property(r => r.RecipientHash).HasColumnName("recipient_hash");
            entity.Property(r => r.Day).HasColumnName("day");
            entity.Property(r => r.Mails).HasColumnName("mails");
            entity.HasIndex(r => r.Day);
        });
    }

    private sealed class NoticeLock(NotificationDbContext db, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({key})");
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
