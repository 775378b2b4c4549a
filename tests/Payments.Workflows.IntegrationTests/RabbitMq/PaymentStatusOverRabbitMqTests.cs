namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>GetPaymentStatus by request/response over RabbitMQ, answered from saga state.</summary>
public sealed class PaymentStatusOverRabbitMqTests(RabbitMqServer rabbitMq, PostgresServer postgres) : ServiceOnRabbitMq(rabbitMq, postgres)
{
    [Fact]
    public async Task A_known_payment_is_answered_with_its_state_and_amounts()
    {
        var authorise = Authorise(80.00m);
        await Service.Send(authorise);
        await Service.WaitForState(authorise.PaymentId, "Authorised");
        await Service.Send(new CapturePayment { PaymentId = authorise.PaymentId, IdempotencyKey = "cap-status", Amount = 30.00m });
        await Service.WaitForState(authorise.PaymentId, "PartiallyCaptured");

        var response = await Request(authorise.PaymentId);

        Assert.True(response.Is(out Response<PaymentStatus>? found));
        Assert.Equal((authorise.PaymentId, "PartiallyCaptured", "merchant-rmq", "EUR", 80.00m, 30.00m, 0m),
            (found!.Message.PaymentId, found.Message.State, found.Message.MerchantId, found.Message.Currency,
                found.Message.AuthorisedAmount, found.Message.CapturedAmount, found.Message.RefundedAmount));
    }

    [Fact]
    public async Task An_unknown_payment_is_answered_with_PaymentNotFound()
    {
        var paymentId = Guid.NewGuid();

        var response = await Request(paymentId);

        Assert.True(response.Is(out Response<PaymentNotFound>? notFound));
        Assert.Equal(paymentId, notFound!.Message.PaymentId);
        Assert.Null(await Service.Payment(paymentId));
    }

    private async Task<Response<PaymentStatus, PaymentNotFound>> Request(Guid paymentId)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        var client = scope.ServiceProvider.GetRequiredService<IRequestClient<GetPaymentStatus>>();
        return await client.GetResponse<PaymentStatus, PaymentNotFound>(new GetPaymentStatus { PaymentId = paymentId }, Cancellation,
            RequestTimeout.After(s: 20));
    }
}
