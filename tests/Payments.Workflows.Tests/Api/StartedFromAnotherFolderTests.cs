namespace Payments.Workflows.Tests.Api;

/// <summary>
/// The built service started from a folder that is not its own (as <c>dotnet path/to/Payments.Workflows.Service.dll</c>
/// from the repository root does): its content root stays its own folder, so appsettings.json and its log levels apply.
/// </summary>
public sealed class StartedFromAnotherFolderTests : IDisposable
{
    private readonly DirectoryInfo _elsewhere = Directory.CreateTempSubdirectory("payments-elsewhere-");

    public void Dispose() => _elsewhere.Delete(recursive: true);

    [Fact]
    public async Task Started_from_another_folder_the_service_reads_its_own_appsettings_and_logs_no_request_path_or_SQL()
    {
        await using var service = ServiceProcess.Start(_elsewhere.FullName, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Urls"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Payments"] = $"Data Source={Path.Combine(_elsewhere.FullName, "payments.db")}",
        });
        using var http = new HttpClient { BaseAddress = await service.WaitUntilListening() };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode);
        await http.GetAsync("/ledger/accounts/customer:customer-elsewhere-3141", TestContext.Current.CancellationToken);
        await service.Stop();

        var output = service.Output;
        Assert.Contains($"Content root path: {ServiceProcess.ServiceFolder}", output, StringComparison.Ordinal);
        // appsettings.json sets Microsoft.AspNetCore and Microsoft.EntityFrameworkCore to Warning: no request lines, no SQL.
        Assert.DoesNotContain("Request starting", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Executed DbCommand", output, StringComparison.Ordinal);
        Assert.DoesNotContain("customer-elsewhere-3141", output, StringComparison.Ordinal);
    }
}
