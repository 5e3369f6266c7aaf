using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.Notification.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class NoticeDeliveries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "deliveries",
                schema: "notification",
                columns: table => new
                {
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    notice_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    template = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    first_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deliveries", x => new { x.case_id, x.notice_key });
                });

            // Notices sent before this table existed were claimed as "<case id>:<notice key>": carry them
            // over as sent, so that a re-send of an old command does not mail them again.
            migrationBuilder.Sql("""
                INSERT INTO notification.deliveries (case_id, notice_key, template, attempts, first_attempt_at, sent_at)
                SELECT split_part(key, ':', 1)::uuid, substr(key, strpos(key, ':') + 1), '', 1, processed_at, processed_at
                FROM notification.processed_messages
                WHERE key ~ '^[0-9a-f-]{36}:.{1,100}$'
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "deliveries",
                schema: "notification");
        }
    }
}
