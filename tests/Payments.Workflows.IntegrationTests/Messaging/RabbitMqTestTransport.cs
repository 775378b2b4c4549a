using System.Net.Http.Headers;
using Payments.Workflows.Testing.Messaging.Scenarios;

namespace Payments.Workflows.IntegrationTests.Messaging;

/// <summary>
/// A virtual host of its own on the broker named by <c>PAYMENTS_TEST_RABBITMQ</c> (an amqp:// URI; management API on
/// the same host, port 15672, same credentials), created through the management API and deleted afterwards.
/// The broker needs no delayed-exchange plugin: scheduling goes through the outbox table.
/// </summary>
public sealed class RabbitMqTestTransport : ITestTransport
{
    public const string Variable = "PAYMENTS_TEST_RABBITMQ";

    private readonly Uri _broker;
    private readonly string _user;
    private readonly string _password;
    private readonly string _virtualHost = $"messaging-{Guid.NewGuid():N}";
    private readonly HttpClient _management;

    private RabbitMqTestTransport(Uri broker)
    {
        _broker = broker;
        var credentials = broker.UserInfo.Split(':', 2);
        _user = credentials.Length == 2 ? Uri.UnescapeDataString(credentials[0]) : "guest";
        _password = credentials.Length == 2 ? Uri.UnescapeDataString(credentials[1]) : "guest";
        _management = new HttpClient { BaseAddress = new Uri($"http://{broker.Host}:15672/api/") };
        _management.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}")));
    }

    public static async Task<ITestTransport?> Create()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: set PAYMENTS_TEST_RABBITMQ (bash infra/scripts/start-services.sh), e.g. amqp://guest:guest@127.0.0.1:5672/");
        }

        var transport = new RabbitMqTestTransport(new Uri(value));
        var name = Uri.EscapeDataString(transport._virtualHost);
        (await transport._management.PutAsync($"vhosts/{name}", null)).EnsureSuccessStatusCode();
        using var permissions = new StringContent("{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}", Encoding.UTF8, "application/json");
        (await transport._management.PutAsync($"permissions/{name}/{Uri.EscapeDataString(transport._user)}", permissions)).EnsureSuccessStatusCode();
        return transport;
    }

    public void Configure(IBusRegistrationConfigurator configurator) =>
        configurator.UsingRabbitMq((context, cfg) =>
        {
            cfg.Host(_broker.Host, (ushort)(_broker.IsDefaultPort ? 5672 : _broker.Port), _virtualHost, h =>
            {
                h.Username(_user);
                h.Password(_password);
            });
            cfg.ConfigureEndpoints(context);
        });

    public async ValueTask DisposeAsync()
    {
        using (_management)
            await _management.DeleteAsync($"vhosts/{Uri.EscapeDataString(_virtualHost)}");
    }
}
