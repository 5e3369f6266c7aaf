using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Cases.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class KeyedAuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The entries written so far were hashed with plain SHA-256: they are marked so, and still verify (ADR 16).
            // Adding a column with a constant default rewrites no row, so the append-only trigger is not involved.
            migrationBuilder.AddColumn<string>(
                name: "key_id",
                schema: "cases",
                table: "audit_entries",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "sha256-legacy");

            // New entries always name their key: none may fall back to the unkeyed mark.
            migrationBuilder.Sql("ALTER TABLE cases.audit_entries ALTER COLUMN key_id DROP DEFAULT;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "key_id",
                schema: "cases",
                table: "audit_entries");
        }
    }
}
