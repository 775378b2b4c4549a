namespace Payments.Workflows.Tests.Status;

public sealed class GetPaymentStatusTests : IAsyncLifetime
{
    private PaymentsHarness _payments = null!;

    public async ValueTask InitializeAsync() => _payments = await PaymentsHarness.Start();

    public ValueTask DisposeAsync() => _payments.DisposeAsync();

    [Fact]
    public async Task Status_request_answers_with_the_payment_state_and_amounts()
    {
        var command = Commands.Authorise(amount: 42.50m);
        await _payments.Send(command);
        await _payments.WaitForState(command.PaymentId, "Authorised");
        var client = _payments.Harness.Bus.CreateRequestClient<GetPaymentStatus>();

        var response = await client.GetResponse<PaymentStatus, PaymentNotFound>(new GetPaymentStatus { PaymentId = command.PaymentId });

        Assert.True(response.Is(out Response<PaymentStatus>? status));
        Assert.Equal(("Authorised", 42.50m, "EUR"), (status!.Message.State, status.Message.AuthorisedAmount, status.Message.Currency));
    }

    [Fact]
    public async Task Status_of_an_authorised_payment_says_when_its_hold_expires_and_a_declined_one_has_no_hold()
    {
        var authorised = Commands.Authorise();
        var declined = Commands.Authorise(cardToken: "tok_decline");
        await _payments.Send(authorised);
        await _payments.Send(declined);
        var held = await _payments.WaitForState(authorised.PaymentId, "Authorised");
        await _payments.WaitForState(declined.PaymentId, "Declined");
        var client = _payments.Harness.Bus.CreateRequestClient<GetPaymentStatus>();

        var authorisedStatus = await client.GetResponse<PaymentStatus>(new GetPaymentStatus { PaymentId = authorised.PaymentId });
        var declinedStatus = await client.GetResponse<PaymentStatus>(new GetPaymentStatus { PaymentId = declined.PaymentId });

        Assert.NotNull(held.ExpiresAt);
        Assert.Equal(new DateTimeOffset(DateTime.SpecifyKind(held.ExpiresAt.Value, DateTimeKind.Utc)), authorisedStatus.Message.ExpiresAt);
        Assert.Null(declinedStatus.Message.ExpiresAt);
    }

    [Fact]
    public async Task Status_request_for_an_unknown_payment_answers_PaymentNotFound()
    {
        var client = _payments.Harness.Bus.CreateRequestClient<GetPaymentStatus>();
        var unknown = Guid.NewGuid();

        var response = await client.GetResponse<PaymentStatus, PaymentNotFound>(new GetPaymentStatus { PaymentId = unknown });

        Assert.True(response.Is(out Response<PaymentNotFound>? notFound));
        Assert.Equal(unknown, notFound!.Message.PaymentId);
    }
}
