using Payments.Workflows.Components.RawCommands;

namespace Payments.Workflows.Tests.RawCommands;

public sealed class RawCommandTests
{
    private static readonly Guid PaymentId = Guid.Parse("3f2c1d4e-8b7a-4c1f-9e2d-5a6b7c8d9e0f");

    [Fact]
    public void A_derived_message_id_is_the_same_for_the_same_command_and_differs_for_another_command_key_or_payment()
    {
        var id = RawMessageIds.For("capture-payment", PaymentId, "capture-1");

        Assert.Equal(id, RawMessageIds.For("capture-payment", PaymentId, "capture-1"));
        Assert.NotEqual(id, RawMessageIds.For("refund-payment", PaymentId, "capture-1"));
        Assert.NotEqual(id, RawMessageIds.For("capture-payment", PaymentId, "capture-2"));
        Assert.NotEqual(id, RawMessageIds.For("capture-payment", Guid.NewGuid(), "capture-1"));
        Assert.Equal(8, id.Version);
    }

    [Fact]
    public void A_complete_raw_command_becomes_its_contract()
    {
        var command = new RawRefundPayment { PaymentId = PaymentId, IdempotencyKey = "refund-1", Amount = 2.50m }.ToCommand();

        Assert.Equal((PaymentId, "refund-1", 2.50m), (command.PaymentId, command.IdempotencyKey, command.Amount));
    }

    [Fact]
    public void An_incomplete_raw_command_is_refused_naming_every_missing_field()
    {
        var failure = Assert.Throws<InvalidRawCommandException>(() =>
            new RawAuthorisePayment { PaymentId = Guid.Empty, IdempotencyKey = "k", Amount = 1m, Currency = "EUR" }.ToCommand());

        Assert.Equal("authorise-payment: missing required fields paymentId, merchantId, customerId, cardToken (expected camelCase JSON with "
            + "paymentId, idempotencyKey, merchantId, customerId, amount, currency, cardToken).", failure.Message);
    }
}
