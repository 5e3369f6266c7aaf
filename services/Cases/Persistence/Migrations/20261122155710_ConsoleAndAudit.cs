using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Cases.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ConsoleAndAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "agent_email_encrypted",
                schema: "cases",
                table: "case_sagas",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "audit_count",
                schema: "cases",
                table: "case_sagas",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "audit_head",
                schema: "cases",
                table: "case_sagas",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "authority",
                schema: "cases",
                table: "case_sagas",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<double>(
                name: "classification_confidence",
                schema: "cases",
                table: "case_sagas",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "client_id",
                schema: "cases",
                table: "case_sagas",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "details_encrypted",
                schema: "cases",
                table: "case_sagas",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "extension_reason",
                schema: "cases",
                table: "case_sagas",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "needs_triage",
                schema: "cases",
                table: "case_sagas",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "notices",
                schema: "cases",
                table: "case_sagas",
                type: "jsonb",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "audit_entries",
                schema: "cases",
                columns: table => new
                {
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    detail = table.Column<string>(type: "text", nullable: false),
                    previous_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => new { x.case_id, x.sequence });
                });

            migrationBuilder.CreateTable(
                name: "authority_documents",
                schema: "cases",
                columns: table => new
                {
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_name_encrypted = table.Column<byte[]>(type: "bytea", nullable: false),
                    content_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    content_encrypted = table.Column<byte[]>(type: "bytea", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_authority_documents", x => x.case_id);
                });
            // The audit trail is append-only: the database itself refuses to change or delete an entry.
            migrationBuilder.Sql("""
                CREATE FUNCTION cases.audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'cases.audit_entries is append-only';
                END $$;
                CREATE TRIGGER audit_entries_append_only
                    BEFORE UPDATE OR DELETE ON cases.audit_entries
                    FOR EACH ROW EXECUTE FUNCTION cases.audit_entries_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER audit_entries_append_only ON cases.audit_entries;
                DROP FUNCTION cases.audit_entries_append_only();
                """);

            migrationBuilder.DropTable(
                name: "audit_entries",
                schema: "cases");

            migrationBuilder.DropTable(
                name: "authority_documents",
                schema: "cases");

            migrationBuilder.DropColumn(
                name: "agent_email_encrypted",
                schema: "cases",
                table: "case_sagas");

            migrationBuilder.DropColumn(
                name: "audit_count",
                schema: "cases",
                table: "case_sagas");

            migrationBuilder.DropColumn(
                name: "audit_head",
                schema: "cases",
                table: "case_sagas");

            migrationBuilder.DropColumn(
                name: "authority",
                schema: "cases",
                table: "case_sagas");

            migrationBuilder.DropColumn(
                name: "classification_confidence",
                schema: "cases",
                table: "case_sagas");

            migrationBuilder.DropColumn(
                name: "client_id",
                schema: "cases",
                table: "case_sagas");

            migrationBuilder.DropColumn(
                name: "details_encrypted",
                schema: "cases",
                table: "case_sagas");

            migrationBuilder.DropColumn(
                name: "extension_reason",
                schema: "cases",
                table: "case_sagas");

            migrationBuilder.DropColumn(
                name: "needs_triage",
                schema: "cases",
                table: "case_sagas");

            migrationBuilder.DropColumn(
                name: "notices",
                schema: "cases",
                table: "case_sagas");
        }
    }
}
