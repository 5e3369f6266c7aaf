using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Cases.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RestrictionKept : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "restriction_kept_at",
                schema: "cases",
                table: "case_sagas",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "restriction_kept_at",
                schema: "cases",
                table: "case_sagas");
        }
    }
}
