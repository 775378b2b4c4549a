using Payments.Workflows.Components;
using Payments.Workflows.Service;

// Its own folder, not the working directory: appsettings.json (and its log levels) apply wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = args });
builder.Services.AddPaymentsWorkflows(builder.Configuration);
builder.Services.AddPaymentsApi();

var app = builder.Build();
app.MapPaymentsApi();
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
