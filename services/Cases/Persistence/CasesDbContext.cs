using System.Text.Json;
using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Closely.Cases.Persistence;

public sealed class CasesDbContext(DbContextOptions<CasesDbContext> options, PersonalDataProtector protector)
    : ServiceDbContext(options)
{
    public const string SchemaName = "cases";

    public override string Schema => SchemaName;

    public DbSet<CaseState> Cases => Set<CaseState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<CaseState>(entity =>
        {
            entity.ToTable("case_sagas");
            entity.HasKey(c => c.CorrelationId);
            entity.Property(c => c.CorrelationId).HasColumnName("correlation_id");
            entity.Property(c => c.Version).HasColumnName("version").IsConcurrencyToken();
            entity.Property(c => c.CurrentState).HasColumnName("current_state").HasMaxLength(64);
            entity.Property(c => c.Reference).HasColumnName("reference").HasMaxLength(32);
            entity.Property(c => c.Right).HasColumnName("right").HasConversion<string>().HasMaxLength(32);
            entity.Property(c => c.Channel).HasColumnName("channel").HasConversion<string>().HasMaxLength(32);
            entity.Property(c => c.ReceivedAt).HasColumnName("received_at");
            entity.Property(c => c.ReceivedOn).HasColumnName("received_on");
            entity.Property(c => c.DueAt).HasColumnName("due_at");
            entity.Property(c => c.DueOn).HasColumnName("due_on");
            entity.Property(c => c.TargetAt).HasColumnName("target_at");
            entity.Property(c => c.TargetOn).HasColumnName("target_on");
            entity.Property(c => c.Extended).HasColumnName("extended");
            entity.Property(c => c.RequesterEmail).HasColumnName("requester_email_encrypted")
                .HasConversion(protector.EncryptedStringConverter());
            entity.Property(c => c.RequesterEmailIndex).HasColumnName("requester_email_index");
            entity.Property(c => c.VerifiedAt).HasColumnName("verified_at");
            entity.Property(c => c.ClosedAt).HasColumnName("closed_at");
            entity.Property(c => c.Outcome).HasColumnName("outcome").HasMaxLength(2000);
            entity.Property(c => c.StepStartedAt).HasColumnName("step_started_at");
            entity.Property(c => c.StepResends).HasColumnName("step_resends");
            entity.Property(c => c.TargetReminderSent).HasColumnName("target_reminder_sent");
            entity.Property(c => c.DueReminderSent).HasColumnName("due_reminder_sent");
            entity.Property(c => c.OverdueEscalated).HasColumnName("overdue_escalated");
            entity.Property(c => c.NextDeadlineAt).HasColumnName("next_deadline_at");
            entity.Property(c => c.NextDeadlineKind).HasColumnName("next_deadline_kind").HasConversion<string>().HasMaxLength(32);
            entity.Property(c => c.Stores).HasColumnName("stores").HasColumnType("jsonb")
                .HasConversion(
                    v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
                    v => JsonSerializer.Deserialize<List<StoreProgress>>(v, JsonSerializerOptions.Web) ?? new List<StoreProgress>(),
                    new ValueComparer<List<StoreProgress>>(
                        (a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Web) == JsonSerializer.Serialize(b, JsonSerializerOptions.Web),
                        v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web).GetHashCode(StringComparison.Ordinal),
                        v => JsonSerializer.Deserialize<List<StoreProgress>>(JsonSerializer.Serialize(v, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!));

            entity.HasIndex(c => c.Reference).IsUnique();
            entity.HasIndex(c => c.RequesterEmailIndex);
            entity.HasIndex(c => c.NextDeadlineAt).HasFilter("next_deadline_at IS NOT NULL");
            entity.HasIndex(c => new { c.CurrentState, c.DueAt });
        });
    }
}
