namespace Payments.Workflows.Tests.Support;

/// <summary>
/// The state-machine tests' spelling of <see cref="Eventually.Holds"/>, kept only while those tests are rewritten;
/// new tests call <see cref="Eventually"/>.
/// </summary>
public static class Wait
{
    public static Task<bool> Until(Func<Task<bool>> condition, TimeSpan? timeout = null) => Eventually.Holds(condition, timeout);
}
