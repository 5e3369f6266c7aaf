using System.Text.Json;
using Closely.BuildingBlocks.Persistence;
using Closely.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Closely.Intake.Persistence;

public sealed class IntakeDbContext(DbContextOptions<IntakeDbContext> options) : ServiceDbContext(options)
{
    public const string SchemaName = "intake";

    public override string Schema => SchemaName;

    public DbSet<IntakeRequest> Requests => Set<IntakeRequest>();

    public DbSet<CaseStatusRecord> CaseStatuses => Set<CaseStatusRecord>();

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
            entity.Property(r => r.EmailEncrypted).HasColumnName("email_encrypted");
            entity.Property(r => r.EmailIndex).HasColumnName("email_index");
            entity.Property(r => r.FullNameEncrypted).HasColumnName("full_name_encrypted");
            entity.Property(r => r.DetailsEncrypted).HasColumnName("details_encrypted");
            entity.Property(r => r.StatusTokenHash).HasColumnName("status_token_hash");
            entity.Property(r => r.PublishedAt).HasColumnName("published_at");

            entity.HasIndex(r => r.Reference).IsUnique();
            entity.HasIndex(r => r.EmailIndex);
            entity.HasIndex(r => r.ReceivedAt).HasFilter("published_at IS NULL").HasDatabaseName("ix_requests_unpublished");
        });

        modelBuilder.Entity<CaseStatusRecord>(entity =>
        {
            entity.ToTable("case_status");
            entity.HasKey(s => s.CaseId);
            entity.Property(s => s.CaseId).HasColumnName("case_id").ValueGeneratedNever();
            entity.Property(s => s.State).HasColumnName("state").HasMaxLength(64);
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
