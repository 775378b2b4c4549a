using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit.Serialization;
using MassTransit.Testing;
using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.Tests.Acquirer;

/// <summary>
/// A card token reaches the acquirer from the payment's row and is erased once the acquirer has answered: no internal
/// message, <c>_error</c> copy or <c>Fault&lt;T&gt;</c> carries one.
/// </summary>
public sealed class CardTokenTests : IAsyncLifetime
{
    private const string Token = "tok_card_token_tests";

    private readonly RecordingAcquirer _acquirer = new();
    private PaymentsHarness _payments = null!;

    public async ValueTask InitializeAsync() =>
        _payments = await PaymentsHarness.Start(new Dictionary<string, string?>
        {
            ["Payments:Acquirer:RetryAttempts"] = "0",
            ["Payments:Retry:Intervals:0"] = "00:00:00.010",
        }, services => services.AddSingleton<IAcquirer>(_acquirer));

    public ValueTask DisposeAsync() => _payments.DisposeAsync();

    [Theory]
    [InlineData(true, nameof(PaymentStateMachine.Authorised))]
    [InlineData(false, nameof(PaymentStateMachine.Declined))]
    public async Task Once_the_acquirer_has_answered_the_payment_row_holds_no_card_token(bool approve, string endState)
    {
        _acquirer.Approve = approve;
        var command = Commands.Authorise(cardToken: Token);

        await _payments.Send(command);
        var payment = await _payments.WaitForState(command.PaymentId, endState);

        Assert.Equal(Token, _acquirer.TokenFor(command.PaymentId));
        Assert.Empty(payment.CardToken);
    }

    [Fact]
    public async Task The_request_to_the_acquirer_carries_no_card_token()
    {
        var command = Commands.Authorise(cardToken: Token);

        await _payments.Send(command);
        await _payments.WaitForState(command.PaymentId, nameof(PaymentStateMachine.Authorised));

        var request = _payments.Harness.Consumed.Select<RequestAcquirerAuthorisation>(m => m.Context.Message.PaymentId == command.PaymentId).Single();
        var json = JsonSerializer.Serialize(request.Context.Message, SystemTextJsonMessageSerializer.Options);
        Assert.DoesNotContain("\"cardToken\"", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Token, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_fails_for_good_faults_without_the_card_token()
    {
        _acquirer.Malformed = true;
        var command = Commands.Authorise(cardToken: Token);

        await _payments.Send(command);

        Assert.True(await _payments.Harness.Published.Any<Fault<RequestAcquirerAuthorisation>>(m => m.Context.Message.Message.PaymentId == command.PaymentId));
        var fault = _payments.Harness.Published.Select<Fault<RequestAcquirerAuthorisation>>(m => m.Context.Message.Message.PaymentId == command.PaymentId).First();
        var json = JsonSerializer.Serialize(fault.Context.Message, SystemTextJsonMessageSerializer.Options);
        Assert.Contains(command.PaymentId.ToString(), json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"cardToken\"", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Token, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_delivered_again_after_the_answer_does_not_ask_the_acquirer_again()
    {
        var command = Commands.Authorise(cardToken: Token);
        await _payments.Send(command);
        await _payments.WaitForState(command.PaymentId, nameof(PaymentStateMachine.Authorised));
        var request = _payments.Harness.Consumed.Select<RequestAcquirerAuthorisation>(m => m.Context.Message.PaymentId == command.PaymentId).Single();

        var again = Guid.NewGuid();
        var acquirerEndpoint = await _payments.Harness.Bus.GetSendEndpoint(AcquirerEndpoint.Address);
        await acquirerEndpoint.Send(request.Context.Message, c => c.MessageId = again, TestContext.Current.CancellationToken);

        // Not the harness's inactivity wait: a loaded machine can take longer than its few seconds.
        await Eventually.True(() => _payments.Harness.Consumed.Select<RequestAcquirerAuthorisation>(m => m.Context.MessageId == again).Any(),
            "the second copy of the request was consumed");
        Assert.Equal(1, _acquirer.Calls(command.PaymentId));
        Assert.Equal(nameof(PaymentStateMachine.Authorised), (await _payments.Payment(command.PaymentId))!.CurrentState);
    }

    /// <summary>Approves or declines, or answers with something it cannot read (a fault no retry mends); records the token it was given.</summary>
    private sealed class RecordingAcquirer : IAcquirer
    {
        private readonly ConcurrentDictionary<Guid, string> _tokens = new();
        private readonly ConcurrentDictionary<Guid, int> _calls = new();

        public volatile bool Approve = true;

        public volatile bool Malformed;

        public string? TokenFor(Guid paymentId) => _tokens.GetValueOrDefault(paymentId);

        public int Calls(Guid paymentId) => _calls.GetValueOrDefault(paymentId);

        public Task<AcquirerDecision> Authorise(RequestAcquirerAuthorisation request, string cardToken, CancellationToken cancellationToken)
        {
            _tokens[request.PaymentId] = cardToken;
            _calls.AddOrUpdate(request.PaymentId, 1, (_, n) => n + 1);
            if (Malformed)
                throw new FormatException("The acquirer's answer could not be read.");
            return Task.FromResult(Approve
                ? AcquirerDecision.Approve($"ref-{request.PaymentId:N}")
                : AcquirerDecision.Decline("do-not-honour", "Declined by the test acquirer."));
        }
    }
}
