using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Cases.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DataPackage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "package",
                schema: "cases",
                table: "case_sagas",
                type: "jsonb",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "package",
                schema: "cases",
                table: "case_sagas");
        }
    }
}
