using System.Text.Json;
using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Closely.Intake.Persistence;

public sealed class IntakeDbContext(DbContextOptions<IntakeDbContext> options, PersonalDataProtector protector)
    : ServiceDbContext(options), IEncryptingDbContext
{
    public const string SchemaName = "intake";

    public override string Schema => SchemaName;

    /// <summary>Unique (client, Idempotency-Key): a client's retry finds its first request.</summary>
    public const string IdempotencyKeyIndex = "ix_requests_client_idempotency_key";

    /// <summary>Unique Message-ID hash: a mail seen twice makes one case.</summary>
    public const string MessageIdIndex = "ix_requests_message_id_hash";

    public PersonalDataProtector Protector => protector;

    public DbSet<IntakeRequest> Requests => Set<IntakeRequest>();

    public DbSet<CaseStatusRecord> CaseStatuses => Set<CaseStatusRecord>();

    public DbSet<RequestAttachment> Attachments => Set<RequestAttachment>();

    public DbSet<Suppression> Suppressions => Set<Suppression>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<IntakeRequest>(entity =>
        {
            entity.ToTable("requests");
            entity.HasKey(r => r.Id);
            entity.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
            entity.Property(r => r.Reference).HasColumnName("reference").HasMaxLength(32);
            entity.Property(r => r.Right).HasColumnName("right").HasConversion<string>().HasMaxLength(32);
            entity.Property(r => r.Channel).HasColumnName("channel").HasConversion<string>().HasMaxLength(32);
            entity.Property(r => r.ReceivedAt).HasColumnName("received_at");
            entity.HasEncryptedColumn(r => r.Email, "email_encrypted");
            entity.Property(r => r.EmailIndex).HasColumnName("email_index");
            entity.HasEncryptedColumn(r => r.FullName, "full_name_encrypted");
            entity.HasEncryptedColumn(r => r.Details, "details_encrypted");
            entity.Property(r => r.RestrictionGround).HasColumnName("restriction_ground").HasConversion<string>().HasMaxLength(32);
            entity.HasEncryptedColumn(r => r.Corrections, "corrections_encrypted");
            entity.Property(r => r.StatusTokenHash).HasColumnName("status_token_hash");
            entity.HasEncryptedColumn(r => r.StatusToken, "status_token_encrypted");
            entity.Property(r => r.Language).HasColumnName("language").HasMaxLength(8);
            entity.Property(r => r.PublishedAt).HasColumnName("published_at");
            entity.Property(r => r.NeedsTriage).HasColumnName("needs_triage");
            entity.Property(r => r.ClassificationConfidence).HasColumnName("classification_confidence");
            entity.HasEncryptedColumn(r => r.AgentEmail, "agent_email_encrypted");
            entity.HasEncryptedColumn(r => r.AgentFullName, "agent_full_name_encrypted");
            entity.Property(r => r.ClientId).HasColumnName("client_id").HasMaxLength(64);
            entity.Property(r => r.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(128);
            entity.Property(r => r.IdempotencyFingerprint).HasColumnName("idempotency_fingerprint");
            entity.Property(r => r.MessageIdHash).HasColumnName("message_id_hash");
            entity.Property(r => r.TraceParent).HasColumnName("trace_parent").HasMaxLength(64);
            entity.HasMany(r => r.Attachments).WithOne().HasForeignKey(a => a.RequestId);

            entity.HasIndex(r => r.Reference).IsUnique();
            entity.HasIndex(r => r.EmailIndex);
            entity.HasIndex(r => r.ReceivedAt).HasFilter("published_at IS NULL").HasDatabaseName("ix_requests_unpublished");
            entity.HasIndex(r => new { r.ClientId, r.IdempotencyKey }).IsUnique()
                .HasFilter("idempotency_key IS NOT NULL").HasDatabaseName(IdempotencyKeyIndex);
            entity.HasIndex(r => r.MessageIdHash).IsUnique()
                .HasFilter("message_id_hash IS NOT NULL").HasDatabaseName(MessageIdIndex);
        });

        modelBuilder.Entity<RequestAttachment>(entity =>
        {
            entity.ToTable("request_attachments");
            entity.HasKey(a => a.Id);
            entity.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
            entity.Property(a => a.RequestId).HasColumnName("request_id");
            entity.Property(a => a.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(16);
            entity.HasEncryptedColumn(a => a.FileName, "file_name_encrypted");
            entity.Property(a => a.ContentType).HasColumnName("content_type").HasMaxLength(128);
            entity.HasEncryptedColumn(a => a.Content, "content_encrypted");
            entity.Property(a => a.SizeBytes).HasColumnName("size_bytes");
        });

        modelBuilder.Entity<Suppression>(entity =>
        {
            entity.ToTable("suppressions");
            entity.HasKey(s => new { s.EmailIndex, s.Scope });
            entity.Property(s => s.EmailIndex).HasColumnName("email_index");
            entity.Property(s => s.Scope).HasColumnName("scope").HasMaxLength(32);
            entity.Property(s => s.SuppressedAt).HasColumnName("suppressed_at");
            entity.Property(s => s.CaseId).HasColumnName("case_id");
        });

        modelBuilder.Entity<CaseStatusRecord>(entity =>
        {
            entity.ToTable("case_status");
            entity.HasKey(s => s.CaseId);
            entity.Property(s => s.CaseId).HasColumnName("case_id").ValueGeneratedNever();
            entity.Property(s => s.State).HasColumnName("state").HasMaxLength(64);
            entity.Property(s => s.Right).HasColumnName("right").HasConversion<string>().HasMaxLength(32);
            entity.Property(s => s.NeedsTriage).HasColumnName("needs_triage");
            entity.Property(s => s.ExtensionReason).HasColumnName("extension_reason").HasMaxLength(2000);
            entity.Property(s => s.DueOn).HasColumnName("due_on");
            entity.Property(s => s.Extended).HasColumnName("extended");
            entity.Property(s => s.Version).HasColumnName("version");
            entity.Property(s => s.UpdatedAt).HasColumnName("updated_at");
            entity.Property(s => s.Stores).HasColumnName("stores").HasColumnType("jsonb")
                .HasConversion(
                    v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
                    v => JsonSerializer.Deserialize<List<StoreStatusView>>(v, JsonSerializerOptions.Web) ?? new List<StoreStatusView>(),
                    new ValueComparer<IReadOnlyList<StoreStatusView>>(
                        (a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Web) == JsonSerializer.Serialize(b, JsonSerializerOptions.Web),
                        v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web).GetHashCode(StringComparison.Ordinal),
                        v => v.ToList()));
        });
    }
}
