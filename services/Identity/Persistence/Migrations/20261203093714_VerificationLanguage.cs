using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Identity.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VerificationLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Links issued before were sent in English.
            migrationBuilder.AddColumn<string>(
                name: "language",
                schema: "identity",
                table: "verifications",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "en");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "language",
                schema: "identity",
                table: "verifications");
        }
    }
}
