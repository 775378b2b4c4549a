using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

/// <summary>
/// Keeps every log entry of a host at <paramref name="minimum"/> and up (Information unless told), and the state of
/// every scope opened, so a test can count what was logged or search everything a log sink could have written.
/// </summary>
public sealed class LogCapture(LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly ConcurrentQueue<string> _scopes = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    /// <summary>Every scope opened, as its category and state.</summary>
    public IReadOnlyCollection<string> Scopes => _scopes;

    /// <summary>Everything captured as one text: each entry's message, structured state and exception in full, and every scope.</summary>
    public string Text => string.Join(Environment.NewLine, _entries.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.State} {e.Exception}").Concat(_scopes));

    /// <summary>Entries at <paramref name="level"/> whose text starts with <paramref name="prefix"/>.</summary>
    public int Count(LogLevel level, string prefix) => _entries.Count(x => x.Level == level && x.Message.StartsWith(prefix, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, minimum, _entries, _scopes);

    public void Dispose()
    {
    }

    // Structured state as a sink writes it: every property, not only those in the message template.
    private static string Describe<TState>(TState state) => state is IEnumerable<KeyValuePair<string, object?>> properties
        ? string.Join(", ", properties.Select(p => $"{p.Key}={p.Value}"))
        : state?.ToString() ?? "";

    private sealed class Logger(string category, LogLevel minimum, ConcurrentQueue<LogEntry> entries, ConcurrentQueue<string> scopes) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            scopes.Enqueue($"scope {category}: {Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception) { State = Describe(state) });
        }
    }
}

/// <param name="Category">The logger's category.</param>
/// <param name="Level">The entry's level.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception)
{
    /// <summary>The entry's structured state, every property as name=value.</summary>
    public string State { get; init; } = "";
}
