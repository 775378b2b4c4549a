namespace Payments.Workflows.Service.Ops;

/// <summary>The error-queue view's settings (checked at start-up) and its client.</summary>
internal static class ErrorQueueRegistration
{
    public const string ManagementSetting = "ConnectionStrings__RabbitMqManagement";

    public static IServiceCollection AddErrorQueues(this IServiceCollection services)
    {
        services.AddHttpClient(ErrorQueueClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddOptions<ErrorQueueOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Broker = Uri.TryCreate(configuration.GetConnectionString("RabbitMq"), UriKind.Absolute, out var broker) ? broker : null;
                options.CaCertificatePath = configuration["Payments:RabbitMq:CaCertificatePath"];
                options.ManagementSetting = configuration.GetConnectionString("RabbitMqManagement");
            })
            // Never echoing the value: it holds a password.
            .Validate(o => o.IsValid,
                $"{ManagementSetting} must be an http:// or https:// URI of the RabbitMQ management API, e.g. http://payments-ops:secret@localhost:15672/.")
            .ValidateOnStart();
        services.AddSingleton<ErrorQueueClient>();
        return services;
    }
}
