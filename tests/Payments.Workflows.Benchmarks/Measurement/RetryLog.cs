using Microsoft.Extensions.Logging;

namespace Payments.Workflows.Benchmarks.Measurement;

/// <summary>
/// The service's log during a run: counts MassTransit's message retries (R-RETRY; e.g. two copies of a new
/// payment racing to insert its saga row, where the loser is retried and finds the winner's row) and prints
/// every other warning or error as one line, without the stack traces that would bury the benchmark's output.
/// </summary>
public sealed class RetryLog : ILoggerProvider
{
    private long _retries;

    public long Retries => Interlocked.Read(ref _retries);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RetryLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            var message = formatter(state, exception);
            if (message.StartsWith("R-RETRY", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref log._retries);
                return;
            }

            // EF Core logs the failed statement behind each retried conflict; MassTransit's retry line already covers it.
            if (category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal))
                return;
            Console.Error.WriteLine($"    {logLevel} {category}: {message.Split('\n')[0]}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message.Split('\n')[0]})")}");
        }
    }
}
