using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Cases.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class LegalDates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "due_on",
                schema: "cases",
                table: "case_sagas",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<DateOnly>(
                name: "received_on",
                schema: "cases",
                table: "case_sagas",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<DateOnly>(
                name: "target_on",
                schema: "cases",
                table: "case_sagas",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "due_on",
                schema: "cases",
                table: "case_sagas");

            migrationBuilder.DropColumn(
                name: "received_on",
                schema: "cases",
                table: "case_sagas");

            migrationBuilder.DropColumn(
                name: "target_on",
                schema: "cases",
                table: "case_sagas");
        }
    }
}
