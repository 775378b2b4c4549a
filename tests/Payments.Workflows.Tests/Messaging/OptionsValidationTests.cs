using Microsoft.Extensions.Options;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Tests.Messaging;

public sealed class OptionsValidationTests
{
    [Fact]
    public void A_dedupe_window_shorter_than_the_redelivery_horizon_fails_naming_both_settings()
    {
        var services = new ServiceCollection();
        services.AddMassTransit(x => x.AddEfInboxOutbox<TestDbContext>(o =>
        {
            o.DuplicateDetectionWindow = TimeSpan.FromMinutes(30);
            o.RedeliveryHorizon = TimeSpan.FromHours(2);
        }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<InboxOutboxOptions>>().Value);

        Assert.Contains("DuplicateDetectionWindow", error.Message, StringComparison.Ordinal);
        Assert.Contains("RedeliveryHorizon", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_batch_size_fails_naming_the_setting()
    {
        var result = new InboxOutboxOptionsValidator().Validate(null, new InboxOutboxOptions { DeliveryBatchSize = 0 });

        Assert.True(result.Failed);
        Assert.Contains("DeliveryBatchSize", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 2, "SagaBatchLimit")]
    [InlineData(64, 0, "SagaBatchLanes")]
    public void A_saga_batch_setting_below_one_fails_naming_it(int limit, int lanes, string setting)
    {
        var result = new InboxOutboxOptionsValidator().Validate(null, new InboxOutboxOptions { SagaBatchLimit = limit, SagaBatchLanes = lanes });

        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Saga_batching_is_on_by_default_and_a_limit_of_one_turns_it_off()
    {
        var batcher = new InboxOutboxOptions().CreateSagaBatcher();
        Assert.NotNull(batcher);
        Assert.Equal(64, batcher.BatchLimit);
        Assert.Equal(2, batcher.Lanes);
        Assert.Null(new InboxOutboxOptions { SagaBatchLimit = 1 }.CreateSagaBatcher());
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new InboxOutboxOptionsValidator().Validate(null, new InboxOutboxOptions()).Succeeded);
    }
}
