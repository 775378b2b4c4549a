using Payments.Workflows.Components;
using Payments.Workflows.Service;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPaymentsWorkflows(builder.Configuration);
builder.Services.AddPaymentsApi();

var app = builder.Build();
app.MapPaymentsApi();
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
