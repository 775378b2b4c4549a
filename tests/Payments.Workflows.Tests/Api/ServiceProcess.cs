using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Payments.Workflows.Tests.Api;

/// <summary>
/// The built service dll started with <c>dotnet</c> as its own process, from a working directory of the test's choosing,
/// with only the settings the test gives (none inherited from the test run). Its console output is kept.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    /// <summary>The service's own build output, of the configuration these tests were built in.</summary>
    public static string ServiceFolder
    {
        get
        {
            var testFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var (framework, configuration) = (testFolder.Name, testFolder.Parent!.Name);
            var root = testFolder;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Payments.Workflows.sln")))
                root = root.Parent;
            Assert.NotNull(root);
            return Path.Combine(root.FullName, "src", "Payments.Workflows.Service", "bin", configuration, framework);
        }
    }

    /// <summary>Everything written to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static ServiceProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(ServiceFolder, "Payments.Workflows.Service.dll"));
        foreach (var key in start.Environment.Keys.Where(IsServiceSetting).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in settings)
            start.Environment[key] = value;

        var service = new ServiceProcess(new Process { StartInfo = start });
        service._process.Start();
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits for the process to end on its own; returns its exit code.</summary>
    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    /// <summary>Stops the service as an orchestrator does (SIGTERM) and waits until it has exited and its output is read.</summary>
    public async Task Stop()
    {
        using (var signal = Process.Start("kill", ["-s", "TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            await signal.WaitForExitAsync(TestContext.Current.CancellationToken);
        await WaitForExit(TimeSpan.FromSeconds(30));
    }

    /// <summary>Kills the service as a crash or an out-of-memory killer does (SIGKILL): no shutdown code runs.</summary>
    public async Task Kill()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Waits until the service logs the address it listens on, and returns it.</summary>
    public async Task<Uri> WaitUntilListening()
    {
        const string Listening = "Now listening on: ";
        var output = await Eventually.Matches(_ => Task.FromResult(Output), o => o.Contains(Listening, StringComparison.Ordinal) || _process.HasExited,
            "the service to listen", TimeSpan.FromSeconds(60), o => o);
        Assert.False(_process.HasExited, $"The service exited: {output}");
        var start = output.IndexOf(Listening, StringComparison.Ordinal) + Listening.Length;
        var end = output.IndexOfAny(['\r', '\n'], start);
        return new Uri(output[start..(end < 0 ? output.Length : end)].Trim());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private static bool IsServiceSetting(string key) =>
        key.StartsWith("Payments__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase) || key.Equals("Urls", StringComparison.OrdinalIgnoreCase);

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}
