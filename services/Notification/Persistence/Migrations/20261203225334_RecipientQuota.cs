using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Notification.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RecipientQuota : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "suppressed_at",
                schema: "notification",
                table: "deliveries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "recipient_days",
                schema: "notification",
                columns: table => new
                {
                    recipient_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    mails = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recipient_days", x => new { x.recipient_hash, x.day });
                });

            migrationBuilder.CreateIndex(
                name: "IX_recipient_days_day",
                schema: "notification",
                table: "recipient_days",
                column: "day");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "recipient_days",
                schema: "notification");

            migrationBuilder.DropColumn(
                name: "suppressed_at",
                schema: "notification",
                table: "deliveries");
        }
    }
}
