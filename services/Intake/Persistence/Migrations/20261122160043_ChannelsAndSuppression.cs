using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Intake.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ChannelsAndSuppression : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "agent_email_encrypted",
                schema: "intake",
                table: "requests",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "agent_full_name_encrypted",
                schema: "intake",
                table: "requests",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "classification_confidence",
                schema: "intake",
                table: "requests",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "client_id",
                schema: "intake",
                table: "requests",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "idempotency_fingerprint",
                schema: "intake",
                table: "requests",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "idempotency_key",
                schema: "intake",
                table: "requests",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "message_id_hash",
                schema: "intake",
                table: "requests",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "needs_triage",
                schema: "intake",
                table: "requests",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "trace_parent",
                schema: "intake",
                table: "requests",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "request_attachments",
                schema: "intake",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    file_name_encrypted = table.Column<byte[]>(type: "bytea", nullable: false),
                    content_type = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    content_encrypted = table.Column<byte[]>(type: "bytea", nullable: false),
                    size_bytes = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_request_attachments", x => x.id);
                    table.ForeignKey(
                        name: "FK_request_attachments_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "intake",
                        principalTable: "requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "suppressions",
                schema: "intake",
                columns: table => new
                {
                    email_index = table.Column<byte[]>(type: "bytea", nullable: false),
                    scope = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    suppressed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_suppressions", x => new { x.email_index, x.scope });
                });

            migrationBuilder.CreateIndex(
                name: "ix_requests_client_idempotency_key",
                schema: "intake",
                table: "requests",
                columns: new[] { "client_id", "idempotency_key" },
                unique: true,
                filter: "idempotency_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_requests_message_id_hash",
                schema: "intake",
                table: "requests",
                column: "message_id_hash",
                unique: true,
                filter: "message_id_hash IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_request_attachments_request_id",
                schema: "intake",
                table: "request_attachments",
                column: "request_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "request_attachments",
                schema: "intake");

            migrationBuilder.DropTable(
                name: "suppressions",
                schema: "intake");

            migrationBuilder.DropIndex(
                name: "ix_requests_client_idempotency_key",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropIndex(
                name: "ix_requests_message_id_hash",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "agent_email_encrypted",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "agent_full_name_encrypted",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "classification_confidence",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "client_id",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "idempotency_fingerprint",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "idempotency_key",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "message_id_hash",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "needs_triage",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "trace_parent",
                schema: "intake",
                table: "requests");
        }
    }
}
