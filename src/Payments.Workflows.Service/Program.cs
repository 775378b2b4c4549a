using Payments.Workflows.Components;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPaymentsWorkflows(builder.Configuration);

var app = builder.Build();
app.Run();

public partial class Program;
