using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closely.ErasureExecutor.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DropProcessedMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "processed_messages",
                schema: "erasure_executor");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "erasure_executor");

            migrationBuilder.CreateTable(
                name: "processed_messages",
                schema: "erasure_executor",
                columns: table => new
                {
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_processed_messages", x => x.key);
                });
        }
    }
}
