using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Workflows.Components.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddAuthorisationDeadline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AuthorisationDeadlineTokenId",
                table: "Payments",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AuthorisationDeadlineTokenId",
                table: "Payments");
        }
    }
}
