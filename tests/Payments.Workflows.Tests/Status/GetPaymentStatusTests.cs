namespace Payments.Workflows.Tests.Status;

public sealed class GetPaymentStatusTests : PaymentsHarnessTests
{
    [Fact]
    public async Task Status_request_answers_with_the_payment_state_and_amounts()
    {
        var command = Commands.Authorise(amount: 42.50m);
        await Payments.Send(command);
        await Payments.WaitForState(command.PaymentId, "Authorised");
        var client = Payments.Harness.Bus.CreateRequestClient<GetPaymentStatus>();

        var response = await client.GetResponse<PaymentStatus, PaymentNotFound>(new GetPaymentStatus { PaymentId = command.PaymentId });

        Assert.True(response.Is(out Response<PaymentStatus>? status));
        Assert.Equal(("Authorised", 42.50m, "EUR"), (status!.Message.State, status.Message.AuthorisedAmount, status.Message.Currency));
    }

    [Fact]
    public async Task Status_of_an_authorised_payment_says_when_its_hold_expires_and_a_declined_one_has_no_hold()
    {
        var authorised = Commands.Authorise();
        var declined = Commands.Authorise(cardToken: "tok_decline");
        await Payments.Send(authorised);
        await Payments.Send(declined);
        var held = await Payments.WaitForState(authorised.PaymentId, "Authorised");
        await Payments.WaitForState(declined.PaymentId, "Declined");
        var client = Payments.Harness.Bus.CreateRequestClient<GetPaymentStatus>();

        var authorisedStatus = await client.GetResponse<PaymentStatus>(new GetPaymentStatus { PaymentId = authorised.PaymentId });
        var declinedStatus = await client.GetResponse<PaymentStatus>(new GetPaymentStatus { PaymentId = declined.PaymentId });

        Assert.NotNull(held.ExpiresAt);
        Assert.Equal(new DateTimeOffset(DateTime.SpecifyKind(held.ExpiresAt.Value, DateTimeKind.Utc)), authorisedStatus.Message.ExpiresAt);
        Assert.Null(declinedStatus.Message.ExpiresAt);
    }

    [Fact]
    public async Task Status_request_for_an_unknown_payment_answers_PaymentNotFound()
    {
        var client = Payments.Harness.Bus.CreateRequestClient<GetPaymentStatus>();
        var unknown = Guid.NewGuid();

        var response = await client.GetResponse<PaymentStatus, PaymentNotFound>(new GetPaymentStatus { PaymentId = unknown });

        Assert.True(response.Is(out Response<PaymentNotFound>? notFound));
        Assert.Equal(unknown, notFound!.Message.PaymentId);
    }
}
