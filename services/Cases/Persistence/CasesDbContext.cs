using System.Text.Json;
using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Audit;
using Closely.Cases.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Closely.Cases.Persistence;

public sealed class CasesDbContext(DbContextOptions<CasesDbContext> options, PersonalDataProtector protector)
    : ServiceDbContext(options), IEncryptingDbContext
{
    public const string SchemaName = "cases";

    public override string Schema => SchemaName;

    public PersonalDataProtector Protector => protector;

    public DbSet<CaseState> Cases => Set<CaseState>();

    /// <summary>Append-only: the database refuses updates and deletes (see the migration's trigger).</summary>
    public DbSet<CaseAuditEntry> AuditEntries => Set<CaseAuditEntry>();

    public DbSet<AuthorityDocument> AuthorityDocuments => Set<AuthorityDocument>();

    /// <summary>
    /// Saves the case with the audit entries it recorded, chained by <paramref name="chain"/>, in one transaction; the
    /// case's version is its concurrency token. Entries of a failed save are dropped: a retry records them again.
    /// </summary>
    public async Task SaveWithAuditAsync(CaseState saga, CaseAuditChain chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(saga);
        ArgumentNullException.ThrowIfNull(chain);
        var entries = chain.Seal(saga);
        AuditEntries.AddRange(entries);
        try
        {
            await SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception)
        {
            foreach (var entry in entries)
            {
                Entry(entry).State = EntityState.Detached;
            }

            // Another writer appended to the trail since this case was read (the console records views, ADR 17):
            // the entry numbers it took collide with ours before the case's version check can say so.
            if (exception is not DbUpdateConcurrencyException
                && exception.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, TableName: "audit_entries" })
            {
                throw new DbUpdateConcurrencyException("The case's audit trail was appended to concurrently.", exception);
            }

            throw;
        }

        saga.PendingAudit.Clear();
    }

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
            entity.HasEncryptedColumn(c => c.RequesterEmail, "requester_email_encrypted");
            entity.Property(c => c.RequesterEmailIndex).HasColumnName("requester_email_index");
            entity.Property(c => c.VerifiedAt).HasColumnName("verified_at");
            entity.Property(c => c.ClosedAt).HasColumnName("closed_at");
            entity.Property(c => c.PersonalDataRemovedAt).HasColumnName("personal_data_removed_at");
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

            entity.Property(c => c.Package).HasColumnName("package").HasColumnType("jsonb")
                .HasConversion(
                    v => v == null ? null : JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
                    v => v == null ? null : JsonSerializer.Deserialize<CasePackage>(v, JsonSerializerOptions.Web),
                    new ValueComparer<CasePackage?>(
                        (a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Web) == JsonSerializer.Serialize(b, JsonSerializerOptions.Web),
                        v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web).GetHashCode(StringComparison.Ordinal),
                        v => JsonSerializer.Deserialize<CasePackage>(JsonSerializer.Serialize(v, JsonSerializerOptions.Web), JsonSerializerOptions.Web)));

            entity.Property(c => c.NeedsTriage).HasColumnName("needs_triage");
            entity.Property(c => c.ClassificationConfidence).HasColumnName("classification_confidence");
            entity.HasEncryptedColumn(c => c.AgentEmail, "agent_email_encrypted");
            entity.Property(c => c.Authority).HasColumnName("authority").HasConversion<string>().HasMaxLength(16);
            entity.HasEncryptedColumn(c => c.Details, "details_encrypted");
            entity.HasEncryptedColumn(c => c.CorrectionsData, "corrections_encrypted");
            entity.Ignore(c => c.Corrections);
            entity.Ignore(c => c.ApprovedCorrections);
            entity.Ignore(c => c.ApprovedFields);
            entity.Property(c => c.ClientId).HasColumnName("client_id").HasMaxLength(64);
            entity.Property(c => c.RestrictionGround).HasColumnName("restriction_ground").HasConversion<string>().HasMaxLength(32);
            entity.Property(c => c.LiftAnnouncedAt).HasColumnName("lift_announced_at");
            entity.Property(c => c.RestrictionKeptAt).HasColumnName("restriction_kept_at");
            entity.Property(c => c.Language).HasColumnName("language").HasMaxLength(8);
            entity.Property(c => c.ExtensionReason).HasColumnName("extension_reason").HasMaxLength(2000);
            entity.Property(c => c.AuditCount).HasColumnName("audit_count");
            entity.Property(c => c.AuditHead).HasColumnName("audit_head").HasMaxLength(64);
            entity.Ignore(c => c.PendingAudit);
            entity.Property(c => c.Notices).HasColumnName("notices").HasColumnType("jsonb")
                .HasConversion(
                    v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
                    v => JsonSerializer.Deserialize<List<NoticeRecord>>(v, JsonSerializerOptions.Web) ?? new List<NoticeRecord>(),
                    new ValueComparer<List<NoticeRecord>>(
                        (a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Web) == JsonSerializer.Serialize(b, JsonSerializerOptions.Web),
                        v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web).GetHashCode(StringComparison.Ordinal),
                        v => JsonSerializer.Deserialize<List<NoticeRecord>>(JsonSerializer.Serialize(v, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!));

            entity.HasIndex(c => c.Reference).IsUnique();
            entity.HasIndex(c => c.RequesterEmailIndex);
            entity.HasIndex(c => c.NextDeadlineAt).HasFilter("next_deadline_at IS NOT NULL");
            entity.HasIndex(c => new { c.CurrentState, c.DueAt });
        });

        modelBuilder.Entity<CaseAuditEntry>(entity =>
        {
            entity.ToTable("audit_entries");
            entity.HasKey(a => new { a.CaseId, a.Sequence });
            entity.Property(a => a.CaseId).HasColumnName("case_id");
            entity.Property(a => a.Sequence).HasColumnName("sequence");
            entity.Property(a => a.At).HasColumnName("at");
            entity.Property(a => a.Actor).HasColumnName("actor").HasMaxLength(128);
            entity.Property(a => a.Action).HasColumnName("action").HasMaxLength(64);
            entity.Property(a => a.Detail).HasColumnName("detail");
            entity.Property(a => a.KeyId).HasColumnName("key_id").HasMaxLength(32);
            entity.Property(a => a.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64);
            entity.Property(a => a.Hash).HasColumnName("hash").HasMaxLength(64);
        });

        modelBuilder.Entity<AuthorityDocument>(entity =>
        {
            entity.ToTable("authority_documents");
            entity.HasKey(d => d.CaseId);
            entity.Property(d => d.CaseId).HasColumnName("case_id").ValueGeneratedNever();
            entity.HasEncryptedColumn(d => d.FileName, "file_name_encrypted");
            entity.Property(d => d.ContentType).HasColumnName("content_type").HasMaxLength(64);
            entity.HasEncryptedColumn(d => d.Content, "content_encrypted");
            entity.Property(d => d.ReceivedAt).HasColumnName("received_at");
        });
    }
}
