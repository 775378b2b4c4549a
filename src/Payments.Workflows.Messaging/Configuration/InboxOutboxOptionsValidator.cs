namespace Payments.Workflows.Messaging.Configuration;

internal sealed class InboxOutboxOptionsValidator : IValidateOptions<InboxOutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, InboxOutboxOptions options)
    {
        var failures = new List<string>();

        void Positive(TimeSpan value, string property)
        {
            if (value <= TimeSpan.Zero)
                failures.Add($"{nameof(InboxOutboxOptions)}.{property} must be positive (was {value}).");
        }

        void AtLeastOne(int value, string property)
        {
            if (value < 1)
                failures.Add($"{nameof(InboxOutboxOptions)}.{property} must be at least 1 (was {value}).");
        }

        Positive(options.DuplicateDetectionWindow, nameof(options.DuplicateDetectionWindow));
        Positive(options.ConsumerSendTimeout, nameof(options.ConsumerSendTimeout));
        Positive(options.DeliveryPollInterval, nameof(options.DeliveryPollInterval));
        Positive(options.DeliverySendTimeout, nameof(options.DeliverySendTimeout));
        Positive(options.DeliveryRetryDelay, nameof(options.DeliveryRetryDelay));
        Positive(options.DeliveryRetryMaxDelay, nameof(options.DeliveryRetryMaxDelay));
        Positive(options.UnhealthyMaxDelay, nameof(options.UnhealthyMaxDelay));
        Positive(options.CleanupInterval, nameof(options.CleanupInterval));
        Positive(options.StuckAfter, nameof(options.StuckAfter));
        Positive(options.ResendUnconsumedAfter, nameof(options.ResendUnconsumedAfter));
        AtLeastOne(options.DeliveryBatchSize, nameof(options.DeliveryBatchSize));
        AtLeastOne(options.MaxDeliveryAttempts, nameof(options.MaxDeliveryAttempts));
        AtLeastOne(options.CleanupBatchSize, nameof(options.CleanupBatchSize));
        AtLeastOne(options.SagaBatchLimit, nameof(options.SagaBatchLimit));
        AtLeastOne(options.SagaBatchLanes, nameof(options.SagaBatchLanes));

        if (options.ConsumerHandOffDelay < TimeSpan.Zero)
            failures.Add($"{nameof(InboxOutboxOptions)}.{nameof(options.ConsumerHandOffDelay)} must not be negative (was {options.ConsumerHandOffDelay}).");

        if (options.RedeliveryHorizon < TimeSpan.Zero)
            failures.Add($"{nameof(InboxOutboxOptions)}.{nameof(options.RedeliveryHorizon)} must not be negative (was {options.RedeliveryHorizon}).");

        if (options.DuplicateDetectionWindow <= options.RedeliveryHorizon)
        {
            failures.Add(
                $"{nameof(InboxOutboxOptions)}.{nameof(options.DuplicateDetectionWindow)} ({options.DuplicateDetectionWindow}) must exceed " +
                $"{nameof(options.RedeliveryHorizon)} ({options.RedeliveryHorizon}): a copy redelivered after the inbox mark expired would be processed twice.");
        }

        if (options.DeliveryClaimLease <= options.DeliverySendTimeout)
        {
            failures.Add(
                $"{nameof(InboxOutboxOptions)}.{nameof(options.DeliveryClaimLease)} ({options.DeliveryClaimLease}) must exceed " +
                $"{nameof(options.DeliverySendTimeout)} ({options.DeliverySendTimeout}): claimed rows would fall due again while one send is still waiting.");
        }

        if (options.DuplicateDetectionWindow <= options.ResendUnconsumedAfter)
        {
            failures.Add(
                $"{nameof(InboxOutboxOptions)}.{nameof(options.DuplicateDetectionWindow)} ({options.DuplicateDetectionWindow}) must exceed " +
                $"{nameof(options.ResendUnconsumedAfter)} ({options.ResendUnconsumedAfter}): a row sent again after its inbox mark expired would be processed twice.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
