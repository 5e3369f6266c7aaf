using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Intake.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RectificationCorrections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "corrections_encrypted",
                schema: "intake",
                table: "requests",
                type: "bytea",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "corrections_encrypted",
                schema: "intake",
                table: "requests");
        }
    }
}
