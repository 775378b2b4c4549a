using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Workflows.Components.Persistence.Migrations.PostgreSql
{
    /// <summary>
    /// Running totals per account, currency, status and stripe, kept by a statement trigger on LedgerEntries in the
    /// posting's own transaction, so a balance reads a handful of rows however many entries the account has. A
    /// posting adds to one of 16 stripes (chosen by its transaction id), so postings for one busy account rarely wait
    /// on each other's row lock. PostgreSQL only: not part of the EF model.
    /// </summary>
    [DbContext(typeof(PostgreSqlPaymentsDbContext))]
    [Migration("20261201021000_LedgerBalanceTotals")]
    public partial class LedgerBalanceTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE payments."LedgerBalanceTotals" (
                    "AccountId" character varying(160) NOT NULL,
                    "Currency" character(3) NOT NULL,
                    "Status" character varying(16) NOT NULL,
                    "Stripe" smallint NOT NULL,
                    "Debit" numeric(38,4) NOT NULL,
                    "Credit" numeric(38,4) NOT NULL,
                    CONSTRAINT "PK_LedgerBalanceTotals" PRIMARY KEY ("AccountId", "Currency", "Status", "Stripe"));

                CREATE FUNCTION payments.ledger_balance_totals_add() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO payments."LedgerBalanceTotals" AS t ("AccountId", "Currency", "Status", "Stripe", "Debit", "Credit")
                    SELECT n."AccountId", n."Currency", n."Status", (hashtext(n."TransactionId"::text) & 15)::smallint,
                           sum(n."Debit"), sum(n."Credit")
                    FROM new_entries n
                    GROUP BY 1, 2, 3, 4
                    ORDER BY 1, 2, 3, 4
                    ON CONFLICT ("AccountId", "Currency", "Status", "Stripe")
                    DO UPDATE SET "Debit" = t."Debit" + excluded."Debit", "Credit" = t."Credit" + excluded."Credit";
                    RETURN NULL;
                END
                $$;

                CREATE TRIGGER ledger_entries_balance_totals AFTER INSERT ON payments."LedgerEntries"
                    REFERENCING NEW TABLE AS new_entries
                    FOR EACH STATEMENT EXECUTE FUNCTION payments.ledger_balance_totals_add();

                INSERT INTO payments."LedgerBalanceTotals" ("AccountId", "Currency", "Status", "Stripe", "Debit", "Credit")
                SELECT "AccountId", "Currency", "Status", 0, sum("Debit"), sum("Credit")
                FROM payments."LedgerEntries"
                GROUP BY 1, 2, 3;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER ledger_entries_balance_totals ON payments."LedgerEntries";
                DROP FUNCTION payments.ledger_balance_totals_add();
                DROP TABLE payments."LedgerBalanceTotals";
                """);
        }
    }
}
