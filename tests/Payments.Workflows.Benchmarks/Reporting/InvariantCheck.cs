namespace Payments.Workflows.Benchmarks.Reporting;

public sealed record InvariantCheck(string Name, bool Holds, string Detail)
{
    public static InvariantCheck Equal<T>(string name, T expected, T actual) =>
        new(name, EqualityComparer<T>.Default.Equals(expected, actual), $"expected {expected}, got {actual}");
}
