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

        Assert.Equal("authorise-payment: missing or mistyped required fields paymentId, merchantId, customerId, cardToken (expected camelCase JSON with "
            + "paymentId, idempotencyKey, merchantId, customerId, amount, currency, cardToken).", failure.Message);
        Assert.Equal(["paymentId", "merchantId", "customerId", "cardToken"], failure.Fields);
    }

    [Theory]
    [InlineData("""{"paymentId":"3f2c1d4e-8b7a-4c1f-9e2d-5a6b7c8d9e0f","idempotencyKey":"k","amount":"ten"}""", "amount")]
    [InlineData("""{"paymentId":42,"idempotencyKey":"k","amount":1.00}""", "paymentId")]
    [InlineData("""{"paymentId":"not-a-guid","idempotencyKey":"k","amount":1.00}""", "paymentId")]
    [InlineData("""{"paymentId":"3f2c1d4e-8b7a-4c1f-9e2d-5a6b7c8d9e0f","idempotencyKey":{"nested":[1,2]},"amount":1.00}""", "idempotencyKey")]
    [InlineData("""{"paymentId":"3f2c1d4e-8b7a-4c1f-9e2d-5a6b7c8d9e0f","idempotencyKey":"k","amount":1e400}""", "amount")]
    public void A_field_of_another_JSON_type_reads_as_missing_and_is_named(string json, string field)
    {
        var raw = System.Text.Json.JsonSerializer.Deserialize<RawCapturePayment>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

        var failure = Assert.Throws<InvalidRawCommandException>(raw.ToCommand);

        Assert.Equal([field], failure.Fields);
    }
}
