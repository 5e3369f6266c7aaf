using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Intake.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RestrictionGround : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "restriction_ground",
                schema: "intake",
                table: "requests",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "restriction_ground",
                schema: "intake",
                table: "requests");
        }
    }
}
