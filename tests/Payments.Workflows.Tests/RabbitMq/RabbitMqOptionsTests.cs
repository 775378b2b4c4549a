using Payments.Workflows.Components.RabbitMq;

namespace Payments.Workflows.Tests.RabbitMq;

public sealed class RabbitMqOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_the_saga_endpoint_takes_in_more_than_the_others_for_its_batches()
    {
        var options = new RabbitMqOptions();

        Assert.True(new RabbitMqOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(options.SagaConcurrentMessageLimit > options.ConcurrentMessageLimit);
    }

    [Fact]
    public void A_saga_prefetch_below_its_concurrency_limit_fails_naming_both_settings()
    {
        var result = new RabbitMqOptionsValidator().Validate(null, new RabbitMqOptions { SagaConcurrentMessageLimit = 64, SagaPrefetchCount = 32 });

        Assert.True(result.Failed);
        Assert.Contains("Payments__RabbitMq__SagaPrefetchCount", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Payments__RabbitMq__SagaConcurrentMessageLimit", result.FailureMessage, StringComparison.Ordinal);
    }
}
