using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Workflows.Components.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class AddIdempotentRequestPaymentIdIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_IdempotentRequests_PaymentId",
                schema: "payments",
                table: "IdempotentRequests",
                column: "PaymentId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_IdempotentRequests_PaymentId",
                schema: "payments",
                table: "IdempotentRequests");
        }
    }
}
