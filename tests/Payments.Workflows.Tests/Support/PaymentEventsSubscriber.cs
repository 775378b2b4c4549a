namespace Payments.Workflows.Tests.Support;

/// <summary>A subscriber of every payment event, as a downstream service would be: the tests read what it consumed.</summary>
public sealed class PaymentEventsSubscriber :
    IConsumer<PaymentAuthorised>,
    IConsumer<PaymentDeclined>,
    IConsumer<PaymentCaptured>,
    IConsumer<PaymentVoided>,
    IConsumer<PaymentRefunded>,
    IConsumer<PaymentAuthorisationExpired>,
    IConsumer<PaymentCommandRejected>
{
    public Task Consume(ConsumeContext<PaymentAuthorised> context) => Task.CompletedTask;

    public Task Consume(ConsumeContext<PaymentDeclined> context) => Task.CompletedTask;

    public Task Consume(ConsumeContext<PaymentCaptured> context) => Task.CompletedTask;

    public Task Consume(ConsumeContext<PaymentVoided> context) => Task.CompletedTask;

    public Task Consume(ConsumeContext<PaymentRefunded> context) => Task.CompletedTask;

    public Task Consume(ConsumeContext<PaymentAuthorisationExpired> context) => Task.CompletedTask;

    public Task Consume(ConsumeContext<PaymentCommandRejected> context) => Task.CompletedTask;
}
