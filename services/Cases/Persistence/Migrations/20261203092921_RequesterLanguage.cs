using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Cases.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RequesterLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Cases opened before were answered in English.
            migrationBuilder.AddColumn<string>(
                name: "language",
                schema: "cases",
                table: "case_sagas",
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
                schema: "cases",
                table: "case_sagas");
        }
    }
}
