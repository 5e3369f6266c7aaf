using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Intake.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Requests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "case_status",
                schema: "intake",
                columns: table => new
                {
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    state = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    due_on = table.Column<DateOnly>(type: "date", nullable: false),
                    extended = table.Column<bool>(type: "boolean", nullable: false),
                    stores = table.Column<string>(type: "jsonb", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_status", x => x.case_id);
                });

            migrationBuilder.CreateTable(
                name: "requests",
                schema: "intake",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    reference = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    right = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    email_encrypted = table.Column<byte[]>(type: "bytea", nullable: false),
                    email_index = table.Column<byte[]>(type: "bytea", nullable: false),
                    full_name_encrypted = table.Column<byte[]>(type: "bytea", nullable: false),
                    details_encrypted = table.Column<byte[]>(type: "bytea", nullable: true),
                    status_token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_requests", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_requests_email_index",
                schema: "intake",
                table: "requests",
                column: "email_index");

            migrationBuilder.CreateIndex(
                name: "IX_requests_reference",
                schema: "intake",
                table: "requests",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_requests_unpublished",
                schema: "intake",
                table: "requests",
                column: "received_at",
                filter: "published_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_status",
                schema: "intake");

            migrationBuilder.DropTable(
                name: "requests",
                schema: "intake");
        }
    }
}
