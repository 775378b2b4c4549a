using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Workflows.Components.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AddApiKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQL Server cannot alter a column of the primary key in place.
            migrationBuilder.DropPrimaryKey(
                name: "PK_IdempotentRequests",
                schema: "payments",
                table: "IdempotentRequests");

            migrationBuilder.AlterColumn<string>(
                name: "Scope",
                schema: "payments",
                table: "IdempotentRequests",
                type: "nvarchar(128)",
                maxLength: 128,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(64)",
                oldMaxLength: 64);

            migrationBuilder.AddPrimaryKey(
                name: "PK_IdempotentRequests",
                schema: "payments",
                table: "IdempotentRequests",
                columns: new[] { "Scope", "IdempotencyKey" });

            migrationBuilder.AddColumn<string>(
                name: "MerchantId",
                schema: "payments",
                table: "IdempotentRequests",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApiKeys",
                schema: "payments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Prefix = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Hash = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: false),
                    MerchantId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Role = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiKeys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Hash",
                schema: "payments",
                table: "ApiKeys",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Prefix",
                schema: "payments",
                table: "ApiKeys",
                column: "Prefix",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiKeys",
                schema: "payments");

            migrationBuilder.DropColumn(
                name: "MerchantId",
                schema: "payments",
                table: "IdempotentRequests");

            migrationBuilder.DropPrimaryKey(
                name: "PK_IdempotentRequests",
                schema: "payments",
                table: "IdempotentRequests");

            migrationBuilder.AlterColumn<string>(
                name: "Scope",
                schema: "payments",
                table: "IdempotentRequests",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(128)",
                oldMaxLength: 128);

            migrationBuilder.AddPrimaryKey(
                name: "PK_IdempotentRequests",
                schema: "payments",
                table: "IdempotentRequests",
                columns: new[] { "Scope", "IdempotencyKey" });
        }
    }
}
