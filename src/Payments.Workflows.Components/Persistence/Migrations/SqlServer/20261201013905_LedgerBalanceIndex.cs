using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Workflows.Components.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class LedgerBalanceIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LedgerEntries_AccountId_Currency",
                schema: "payments",
                table: "LedgerEntries");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_AccountId_Currency_Status",
                schema: "payments",
                table: "LedgerEntries",
                columns: new[] { "AccountId", "Currency", "Status" })
                .Annotation("SqlServer:Include", new[] { "Debit", "Credit" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LedgerEntries_AccountId_Currency_Status",
                schema: "payments",
                table: "LedgerEntries");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_AccountId_Currency",
                schema: "payments",
                table: "LedgerEntries",
                columns: new[] { "AccountId", "Currency" });
        }
    }
}
