using Payments.Workflows.Benchmarks;

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException error)
{
    await Console.Error.WriteLineAsync($"error: {error.Message}{Environment.NewLine}{Environment.NewLine}{BenchmarkOptions.Usage}");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

return await BenchmarkRunner.Run(options);
