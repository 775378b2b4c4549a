// Placeholder host (infra branch) so the solution builds and the container image has something to run:
// the real host, wired through AddPaymentsWorkflows(), replaces this file. docker-compose.yml probes
// /health/ready and expects the service on port 8080 (the aspnet image's default).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapHealthChecks("/health/live");
app.MapHealthChecks("/health/ready");
app.Run();
