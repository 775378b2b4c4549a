using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using RabbitMQ.Client;

namespace Payments.Workflows.IntegrationTests.Ops;

/// <summary>
/// The error-queue ops API on RabbitMQ and PostgreSQL, as an operator with an ops key uses it: the service's
/// <c>_error</c> queues listed with their messages grouped by fault, chosen messages replayed to the queue they failed
/// on or deleted, and the rest left where they were, in order. The management API is read as a user with the
/// monitoring tag only, as <c>payments-ops</c> is in infra/rabbitmq/definitions.json.
/// </summary>
public sealed class ErrorQueueOpsTests(RabbitMqServer rabbitMq, PostgresServer postgres) : IAsyncLifetime
{
    private const string CaptureErrors = "raw-capture-payment_error";
    private const string AuthoriseErrors = "raw-authorise-payment_error";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly FaultSwitch _fault = new("raw-authorise-payment");

    private WebApplicationFactory<Program>? _service;
    private HttpClient _ops = null!;
    private AmqpClient _amqp = null!;
    private RabbitMqManagementClient _management = null!;
    private ServiceDriver _driver = null!;
    private string? _monitor;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var virtualHostUri = await rabbitMq.CreateVirtualHostAsync("errorqueues", Cancellation);
        var virtualHost = RabbitMqServer.VirtualHostOf(virtualHostUri);
        var database = await postgres.CreateDatabaseAsync("errorqueues", Cancellation);
        _management = await rabbitMq.GetManagementClientAsync(Cancellation);

        (_monitor, var managementUri) = await OpsTestService.CreateMonitoringUser(_management, virtualHost, Cancellation);
        _service = OpsTestService.Create(database, virtualHostUri, managementUri, _fault);
        _driver = new ServiceDriver(_service);
        _ops = _service.CreateClient();
        _ops.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await new TestApiKeys(_service.Services).Ops());
        _amqp = await AmqpClient.Connect(virtualHostUri);

        // Ready once the bus is up and has declared its queues (error queues included).
        await Eventually.Matches(async ct => (await _ops.GetAsync("/health/ready", ct)).StatusCode, s => s == HttpStatusCode.OK,
            "the service to be ready", Timeout, cancellationToken: Cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        _ops?.Dispose();
        if (_amqp is not null)
            await _amqp.DisposeAsync();
        if (_service is not null)
            await _service.DisposeAsync();
        if (_monitor is not null)
            await _management.DeleteUserAsync(_monitor, CancellationToken.None);
    }

    [Fact]
    public async Task Every_error_queue_is_listed_with_its_messages_grouped_by_fault_and_reading_them_loses_none()
    {
        // Bytes that are not JSON fail for real (the raw consumers take several at once, so in any order).
        var ids = await PublishNotJson(3);
        // Failures of two kinds in a known order.
        List<string> authorisations = [Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString()];
        await PutFailed(AuthoriseErrors, authorisations[0], "{}", "System.TimeoutException", "The acquirer did not answer in time.");
        await PutFailed(AuthoriseErrors, authorisations[1], "{}", "System.InvalidOperationException", new string('x', 500));
        await PutFailed(AuthoriseErrors, authorisations[2], "{}", "System.TimeoutException", "The acquirer did not answer in time.");
        await WaitForDepth(AuthoriseErrors, 3);

        var queues = await WaitForDepth(CaptureErrors, 3);

        Assert.Contains(queues, q => q.GetProperty("queue").GetString() == "payment-state_error");
        Assert.All(queues, q => Assert.EndsWith("_error", q.GetProperty("queue").GetString(), StringComparison.Ordinal));
        var capture = queues.Single(q => q.GetProperty("queue").GetString() == CaptureErrors);
        Assert.Equal((3, false), (capture.GetProperty("browsed").GetInt32(), capture.GetProperty("truncated").GetBoolean()));
        var group = Assert.Single(capture.GetProperty("groups").EnumerateArray());
        Assert.Equal(3, group.GetProperty("count").GetInt32());
        Assert.Equal("System.Text.Json.JsonReaderException", group.GetProperty("exceptionType").GetString());
        Assert.Contains(group.GetProperty("sample").GetProperty("messageId").GetString(), ids);
        Assert.False(string.IsNullOrEmpty(group.GetProperty("sample").GetProperty("reason").GetString()));

        var authorise = queues.Single(q => q.GetProperty("queue").GetString() == AuthoriseErrors).GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal([("System.TimeoutException", 2, authorisations[0]), ("System.InvalidOperationException", 1, authorisations[1])],
            authorise.Select(g => (g.GetProperty("exceptionType").GetString(), g.GetProperty("count").GetInt32(),
                g.GetProperty("sample").GetProperty("messageId").GetString())));
        Assert.Equal(200, authorise[1].GetProperty("sample").GetProperty("reason").GetString()!.Length);

        // Listed twice: still every message, and each queue in the order it held them.
        await WaitForDepth(CaptureErrors, 3);
        Assert.Equal(ids.Order(), (await Drain(CaptureErrors)).Order());
        Assert.Equal(authorisations, await Drain(AuthoriseErrors));
    }

    [Fact]
    public async Task Deleting_chosen_messages_removes_only_them_and_the_rest_stay_in_order()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            await PutFailed(CaptureErrors, id, $"not json {i}", "System.Runtime.Serialization.SerializationException", "Not JSON.");
        await WaitForDepth(CaptureErrors, 5);

        var deleted = await Post($"/ops/error-queues/{CaptureErrors}/delete", new { messageIds = new[] { ids[1], ids[3], "no-such-message" } });

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var answer = await deleted.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        Assert.Equal(2, answer.GetProperty("deleted").GetInt32());
        Assert.Equal(["no-such-message"], answer.GetProperty("notFound").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([ids[0], ids[2], ids[4]], await Drain(CaptureErrors));
    }

    [Fact]
    public async Task A_command_that_failed_while_its_fault_lasted_is_applied_once_replayed_after_the_fix()
    {
        _fault.On = true;
        var payment = Guid.NewGuid();
        var messageId = Guid.NewGuid().ToString();
        await _amqp.PublishCommand("authorise-payment", AuthoriseJson(payment), messageId);

        var queues = await WaitForDepth(AuthoriseErrors, 1);
        var group = Assert.Single(queues.Single(q => q.GetProperty("queue").GetString() == AuthoriseErrors).GetProperty("groups").EnumerateArray());
        Assert.Equal(typeof(RuleNotDeployedException).FullName, group.GetProperty("exceptionType").GetString());
        Assert.Equal((messageId, RuleNotDeployedException.Text),
            (group.GetProperty("sample").GetProperty("messageId").GetString(), group.GetProperty("sample").GetProperty("reason").GetString()));
        Assert.Null(await _driver.Payment(payment, Cancellation));

        _fault.On = false;
        var replayed = await Post($"/ops/error-queues/{AuthoriseErrors}/replay", new { messageIds = new[] { messageId } });

        Assert.Equal(1, (await replayed.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("replayed").GetInt32());
        var state = await _driver.WaitForState(payment, "Authorised", Timeout);
        Assert.Equal(["Authorise"], state.Operations.Select(o => o.Command));
        Assert.Empty(await Drain(AuthoriseErrors));
    }

    [Fact]
    public async Task A_replayed_message_goes_back_to_its_queue_and_once_its_fault_is_fixed_is_applied_and_a_second_replay_changes_nothing()
    {
        // An authorisation that failed earlier (the fault it met is fixed since), and another failure that stays.
        var payment = Guid.NewGuid();
        var failedId = Guid.NewGuid().ToString();
        var otherId = Guid.NewGuid().ToString();
        await PutFailed(AuthoriseErrors, failedId, AuthoriseJson(payment), "System.TimeoutException", "The acquirer did not answer in time.");
        await PutFailed(AuthoriseErrors, otherId, "{}", "System.InvalidOperationException", "Something else went wrong.");
        await WaitForDepth(AuthoriseErrors, 2);

        var replayed = await Post($"/ops/error-queues/{AuthoriseErrors}/replay", new { messageIds = new[] { failedId } });

        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        var answer = await replayed.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        Assert.Equal(("raw-authorise-payment", 1, 0), (answer.GetProperty("destination").GetString(), answer.GetProperty("replayed").GetInt32(),
            answer.GetProperty("notFound").GetArrayLength()));
        var state = await _driver.WaitForState(payment, "Authorised", Timeout);
        Assert.Equal(["Authorise"], state.Operations.Select(o => o.Command));

        // The same failure again (a second copy in the error queue), replayed by its exception type: the inbox and the
        // idempotency key drop it. A new authorisation behind it on the same queue shows the copy was consumed.
        await PutFailed(AuthoriseErrors, failedId, AuthoriseJson(payment), "System.TimeoutException", "The acquirer did not answer in time.");
        await WaitForDepth(AuthoriseErrors, 2);
        var again = await Post($"/ops/error-queues/{AuthoriseErrors}/replay", new { exceptionType = "System.TimeoutException" });
        Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("replayed").GetInt32());
        var marker = Guid.NewGuid();
        await _amqp.PublishCommand("authorise-payment", AuthoriseJson(marker), Guid.NewGuid().ToString());
        await _driver.WaitForState(marker, "Authorised", Timeout);

        Assert.Equal(["Authorise"], (await _driver.Payment(payment, Cancellation))!.Operations.Select(o => o.Command));
        LedgerAssert.Balances(await _driver.Ledger(payment));
        Assert.Equal([otherId], await Drain(AuthoriseErrors));
    }

    [Fact]
    public async Task A_message_replayed_while_its_fault_remains_comes_back_to_the_error_queue()
    {
        var ids = await PublishNotJson(2);
        var queues = await WaitForDepth(CaptureErrors, 2);
        var exceptionType = queues.Single(q => q.GetProperty("queue").GetString() == CaptureErrors)
            .GetProperty("groups")[0].GetProperty("exceptionType").GetString();

        var replayed = await Post($"/ops/error-queues/{CaptureErrors}/replay", new { exceptionType });

        Assert.Equal(2, (await replayed.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("replayed").GetInt32());
        await WaitForDepth(CaptureErrors, 2);
        Assert.Equal(ids.Order(), (await Drain(CaptureErrors)).Order());
    }

    [Fact]
    public async Task A_bad_body_is_refused_naming_the_field_and_a_queue_that_is_not_an_error_queue_of_the_vhost_is_not_found()
    {
        var noIds = await Post($"/ops/error-queues/{CaptureErrors}/replay", new { });
        var both = await Post($"/ops/error-queues/{CaptureErrors}/replay", new { messageIds = new[] { "a" }, exceptionType = "E" });
        var empty = await Post($"/ops/error-queues/{CaptureErrors}/delete", new { messageIds = Array.Empty<string>() });
        var unknown = await Post($"/ops/error-queues/{CaptureErrors}/delete", new { ids = new[] { "a" } });

        Assert.Equal("messageIds", await ProblemField(noIds));
        Assert.Equal("body", await ProblemField(both));
        Assert.Equal("messageIds", await ProblemField(empty));
        Assert.Equal("ids", await ProblemField(unknown));

        // A service queue, a queue of no one, and an _error queue this vhost does not have: never read or written.
        foreach (var queue in new[] { "raw-capture-payment", "payment-state", "nobody_error" })
        {
            using var response = await Post($"/ops/error-queues/{queue}/delete", new { messageIds = new[] { "a" } });
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_merchant_key_is_refused_on_every_error_queue_route()
    {
        using var merchant = _service!.CreateClient();
        merchant.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", await new TestApiKeys(_service.Services).Merchant("merchant-errorqueues"));
        var body = JsonContent.Create(new { messageIds = new[] { "a" } });

        Assert.Equal(HttpStatusCode.Forbidden, (await merchant.GetAsync("/ops/error-queues", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await merchant.PostAsync($"/ops/error-queues/{CaptureErrors}/replay", body, Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await merchant.PostAsync($"/ops/error-queues/{CaptureErrors}/delete", body, Cancellation)).StatusCode);
    }

    private static string AuthoriseJson(Guid paymentId) =>
        $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"auth-{{paymentId:N}}","merchantId":"merchant-errorqueues","customerId":"customer-errorqueues","amount":12.50,"currency":"EUR","cardToken":"tok_visa"}""";

    /// <summary>Bytes that are not JSON to raw-capture-payment, each with a MessageId: each fails into its _error queue.</summary>
    private async Task<List<string>> PublishNotJson(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid().ToString();
            ids.Add(id);
            await _amqp.PublishCommand("capture-payment", $"not json {i}", id);
        }

        return ids;
    }

    /// <summary>A message as MassTransit leaves a failed one in an error queue: its body and id, with the fault headers.</summary>
    private async Task PutFailed(string queue, string messageId, string json, string exceptionType, string reason)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            Persistent = true,
            MessageId = messageId,
            Headers = new Dictionary<string, object?>
            {
                ["MT-Reason"] = "fault",
                ["MT-Fault-ExceptionType"] = exceptionType,
                ["MT-Fault-Message"] = reason,
                ["MT-Fault-Timestamp"] = DateTime.UtcNow.ToString("O"),
            },
        };
        await _amqp.Channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes(json), Cancellation);
    }

    private Task<List<JsonElement>> WaitForDepth(string queue, int depth) =>
        OpsTestService.WaitForDepth(_ops, queue, depth, Timeout, Cancellation);

    /// <summary>Takes every message of the queue; their MessageIds in queue order.</summary>
    private async Task<List<string>> Drain(string queue) =>
        (await _amqp.Messages(queue, Cancellation)).Select(m => m.BasicProperties.MessageId ?? "(none)").ToList();

    private Task<HttpResponseMessage> Post(string path, object body) => _ops.PostAsJsonAsync(path, body, Cancellation);

    private static async Task<string> ProblemField(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        return Assert.Single(problem.GetProperty("errors").EnumerateObject()).Name;
    }
}
