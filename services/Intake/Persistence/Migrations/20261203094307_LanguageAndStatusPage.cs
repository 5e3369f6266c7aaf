using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Intake.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class LanguageAndStatusPage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Requests stored before were answered in English.
            migrationBuilder.AddColumn<string>(
                name: "language",
                schema: "intake",
                table: "requests",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "en");

            migrationBuilder.AddColumn<byte[]>(
                name: "status_token_encrypted",
                schema: "intake",
                table: "requests",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "extension_reason",
                schema: "intake",
                table: "case_status",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "needs_triage",
                schema: "intake",
                table: "case_status",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "right",
                schema: "intake",
                table: "case_status",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "language",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "status_token_encrypted",
                schema: "intake",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "extension_reason",
                schema: "intake",
                table: "case_status");

            migrationBuilder.DropColumn(
                name: "needs_triage",
                schema: "intake",
                table: "case_status");

            migrationBuilder.DropColumn(
                name: "right",
                schema: "intake",
                table: "case_status");
        }
    }
}
