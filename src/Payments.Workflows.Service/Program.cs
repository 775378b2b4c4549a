using Payments.Workflows.Components;
using Payments.Workflows.Service;
using Payments.Workflows.Service.Security;
using Payments.Workflows.Service.Telemetry;

// api-keys create|list|revoke: the same configuration and database, no web server.
if (ApiKeyCommandLine.Handles(args))
    return await ApiKeyCommandLine.Run(args, CreateBuilder, Console.Out, Console.Error);

var builder = CreateBuilder(args);
builder.AddPaymentsTelemetry();
builder.Services.AddPaymentsWorkflows(builder.Configuration);
builder.Services.AddPaymentsApi();

var app = builder.Build();
app.MapPaymentsApi();
app.Run();
return 0;

// Its own folder, not the working directory: appsettings.json (and its log levels) apply wherever it is started from.
static WebApplicationBuilder CreateBuilder(string[] args) =>
    WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = args });

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
