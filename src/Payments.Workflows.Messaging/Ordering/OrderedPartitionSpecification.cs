using MassTransit.Configuration;

namespace Payments.Workflows.Messaging.Ordering;

internal sealed class OrderedPartitionSpecification<T>(OrderedPartitioner partitioner, Func<ConsumeContext<T>, Guid> keyOf) : IPipeSpecification<ConsumeContext<T>>
    where T : class
{
    public void Apply(IPipeBuilder<ConsumeContext<T>> builder) => builder.AddFilter(new OrderedPartitionFilter<T>(partitioner, keyOf));

    public IEnumerable<ValidationResult> Validate() => [];
}
