namespace Payments.Workflows.Service.Api;

/// <summary>
/// One page of a payment's operation log, newest first. <see cref="HasMore"/> says whether older operations exist;
/// they are read with <c>startingAfter</c> set to the last item's <c>sequence</c>.
/// </summary>
internal sealed record PaymentOperationPage(IReadOnlyList<PaymentOperationView> Items, bool HasMore);
