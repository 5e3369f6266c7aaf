using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Privacy;
using Closely.Identity.Verification;
using Microsoft.EntityFrameworkCore;

namespace Closely.Identity.Persistence;

public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options, PersonalDataProtector protector)
    : ServiceDbContext(options), IEncryptingDbContext
{
    public const string SchemaName = "identity";

    public override string Schema => SchemaName;

    public PersonalDataProtector Protector => protector;

    public DbSet<EmailVerification> Verifications => Set<EmailVerification>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<EmailVerification>(entity =>
        {
            entity.ToTable("verifications");
            entity.HasKey(v => v.TokenId);
            entity.Property(v => v.TokenId).HasColumnName("token_id").HasMaxLength(64);
            entity.Property(v => v.CaseId).HasColumnName("case_id");
            entity.Property(v => v.Reference).HasColumnName("reference").HasMaxLength(32);
            entity.HasEncryptedColumn(v => v.RequesterEmail, "requester_email_encrypted");
            entity.Property(v => v.IssueNumber).HasColumnName("issue_number");
            entity.Property(v => v.IssuedAt).HasColumnName("issued_at");
            entity.Property(v => v.ExpiresAt).HasColumnName("expires_at");
            entity.Property(v => v.UsedAt).HasColumnName("used_at");
            entity.Property(v => v.Language).HasColumnName("language").HasMaxLength(8);

            // Two deliveries of one VerifyIdentity racing each other cannot both issue a link.
            entity.HasIndex(v => new { v.CaseId, v.IssueNumber }).IsUnique();
        });
    }
}
