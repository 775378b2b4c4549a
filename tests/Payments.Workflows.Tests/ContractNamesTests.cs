namespace Payments.Workflows.Tests;

/// <summary>MassTransit routes by namespace and type name: a published name must never change.</summary>
public sealed class ContractNamesTests
{
    [Fact]
    public void Published_message_names_are_pinned()
    {
        var names = typeof(AuthorisePayment).Assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.Name != nameof(RejectionReasons))
            .Select(t => t.FullName)
            .Order(StringComparer.Ordinal);

        Assert.Equal(
        [
            "Payments.Workflows.Contracts.AuthorisePayment",
            "Payments.Workflows.Contracts.CapturePayment",
            "Payments.Workflows.Contracts.GetPaymentStatus",
            "Payments.Workflows.Contracts.PaymentAuthorisationExpired",
            "Payments.Workflows.Contracts.PaymentAuthorised",
            "Payments.Workflows.Contracts.PaymentCaptured",
            "Payments.Workflows.Contracts.PaymentCommandRejected",
            "Payments.Workflows.Contracts.PaymentDeclined",
            "Payments.Workflows.Contracts.PaymentNotFound",
            "Payments.Workflows.Contracts.PaymentRefunded",
            "Payments.Workflows.Contracts.PaymentStatus",
            "Payments.Workflows.Contracts.PaymentVoided",
            "Payments.Workflows.Contracts.RefundPayment",
            "Payments.Workflows.Contracts.VoidPayment",
        ], names);
    }

    [Fact]
    public void Contracts_assembly_references_nothing_but_the_framework()
    {
        var references = typeof(AuthorisePayment).Assembly.GetReferencedAssemblies().Select(a => a.Name);

        Assert.All(references, name => Assert.True(name is "System.Runtime" or "netstandard" || name!.StartsWith("System.", StringComparison.Ordinal), name));
    }
}
