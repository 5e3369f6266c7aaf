using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Cases.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "cases");

            migrationBuilder.CreateTable(
                name: "case_sagas",
                schema: "cases",
                columns: table => new
                {
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    current_state = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reference = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    right = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    target_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    extended = table.Column<bool>(type: "boolean", nullable: false),
                    requester_email_encrypted = table.Column<byte[]>(type: "bytea", nullable: false),
                    requester_email_index = table.Column<byte[]>(type: "bytea", nullable: false),
                    verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    step_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    step_resends = table.Column<int>(type: "integer", nullable: false),
                    target_reminder_sent = table.Column<bool>(type: "boolean", nullable: false),
                    due_reminder_sent = table.Column<bool>(type: "boolean", nullable: false),
                    overdue_escalated = table.Column<bool>(type: "boolean", nullable: false),
                    next_deadline_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    next_deadline_kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    stores = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_sagas", x => x.correlation_id);
                });

            migrationBuilder.CreateTable(
                name: "processed_messages",
                schema: "cases",
                columns: table => new
                {
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_processed_messages", x => x.key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_case_sagas_current_state_due_at",
                schema: "cases",
                table: "case_sagas",
                columns: new[] { "current_state", "due_at" });

            migrationBuilder.CreateIndex(
                name: "IX_case_sagas_next_deadline_at",
                schema: "cases",
                table: "case_sagas",
                column: "next_deadline_at",
                filter: "next_deadline_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_case_sagas_reference",
                schema: "cases",
                table: "case_sagas",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_case_sagas_requester_email_index",
                schema: "cases",
                table: "case_sagas",
                column: "requester_email_index");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_sagas",
                schema: "cases");

            migrationBuilder.DropTable(
                name: "processed_messages",
                schema: "cases");
        }
    }
}
