using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.IntegrationTests.Ops;

/// <summary>
/// The /ops page in a real browser (the system Chromium, driven by Playwright) against the service on Kestrel, RabbitMQ
/// and PostgreSQL: an operator types the ops key, sees error queues grouped by fault and quarantined outbox rows, and
/// deletes, replays and releases from the page; each outcome is checked through the API, the broker or the database.
/// </summary>
public sealed class OpsPageBrowserTests(RabbitMqServer rabbitMq, PostgresServer postgres) : IAsyncLifetime
{
    private const string CaptureErrors = "raw-capture-payment_error";
    private const string AuthoriseErrors = "raw-authorise-payment_error";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly FaultSwitch _fault = new("raw-authorise-payment");
    private readonly ConcurrentQueue<string> _received = new();

    private WebApplicationFactory<Program>? _service;
    private HttpClient _ops = null!;
    private string _opsKey = null!;
    private Uri _baseAddress = null!;
    private AmqpClient _amqp = null!;
    private RabbitMqManagementClient _management = null!;
    private ServiceDriver _driver = null!;
    private string? _monitor;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IPage _page = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // The browser first: a machine without Chromium fails here, saying what to install, before anything else starts.
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium(), Headless = true });

        var virtualHostUri = await rabbitMq.CreateVirtualHostAsync("opspage", Cancellation);
        var virtualHost = RabbitMqServer.VirtualHostOf(virtualHostUri);
        var database = await postgres.CreateDatabaseAsync("opspage", Cancellation);
        _management = await rabbitMq.GetManagementClientAsync(Cancellation);

        (_monitor, var managementUri) = await OpsTestService.CreateMonitoringUser(_management, virtualHost, Cancellation);
        _service = OpsTestService.Create(database, virtualHostUri, managementUri, _fault);
        // A real port: the browser cannot reach the in-memory TestServer.
        _service.UseKestrel(0);
        _service.StartServer();
        _baseAddress = new Uri(_service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        _driver = new ServiceDriver(_service);
        _opsKey = await new TestApiKeys(_service.Services).Ops();
        _ops = new HttpClient { BaseAddress = _baseAddress };
        _ops.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _opsKey);
        _amqp = await AmqpClient.Connect(virtualHostUri);

        await Eventually.Matches(async ct => (await _ops.GetAsync("/health/ready", ct)).StatusCode, s => s == HttpStatusCode.OK,
            "the service to be ready", Timeout, cancellationToken: Cancellation);

        _page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _baseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        _page.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        // The page asks before deleting; the operator says yes.
        _page.Dialog += (_, dialog) => dialog.AcceptAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        _ops?.Dispose();
        if (_amqp is not null)
            await _amqp.DisposeAsync();
        if (_service is not null)
            await _service.DisposeAsync();
        if (_monitor is not null)
            await _management.DeleteUserAsync(_monitor, CancellationToken.None);
    }

    [Fact]
    public async Task A_faulted_message_is_shown_grouped_with_its_reason_and_deleting_it_from_the_page_empties_its_error_queue()
    {
        var messageId = Guid.NewGuid().ToString();
        await _amqp.PublishCommand("capture-payment", "not json <script>alert(1)</script>", messageId);
        await WaitForDepth(CaptureErrors, 1);

        var response = await _page.GotoAsync("/ops");
        Assert.Equal(200, response!.Status);
        var policy = await response.HeaderValueAsync("content-security-policy");
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Matches("script-src 'nonce-[A-Za-z0-9+/=]+';", policy);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("DENY", await response.HeaderValueAsync("x-frame-options"));
        // Before a key is given the page shows nothing but the key field.
        Assert.False(await _page.Locator("#content").IsVisibleAsync());

        await OpenWithKey();
        var group = _page.Locator($"section[data-queue='{CaptureErrors}'] tbody tr");
        await Assertions.Expect(group).ToHaveCountAsync(1);
        await Assertions.Expect(group.Locator("td").Nth(0)).ToHaveTextAsync("1");
        await Assertions.Expect(group.Locator("td").Nth(1)).ToContainTextAsync("JsonReaderException");
        await Assertions.Expect(group.Locator("td").Nth(3)).ToHaveTextAsync(messageId);
        // The reason echoes the body, markup included: shown as text, never run or parsed as markup.
        await Assertions.Expect(group.Locator("td").Nth(4)).ToContainTextAsync("<script>alert(1)</script>");
        await Assertions.Expect(_page.Locator("script")).ToHaveCountAsync(1);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(), FullPage = true });

        await group.GetByRole(AriaRole.Button, new() { Name = "Delete sample" }).ClickAsync();

        await Assertions.Expect(_page.Locator("#status")).ToContainTextAsync($"1 message(s) deleted from {CaptureErrors}");
        await Assertions.Expect(_page.Locator($"section[data-queue='{CaptureErrors}'] tbody tr")).ToHaveCountAsync(0);
        await WaitForDepth(CaptureErrors, 0);
        Assert.Empty(await _amqp.Messages(CaptureErrors, Cancellation));
    }

    [Fact]
    public async Task A_command_that_failed_on_a_fault_fixed_since_is_replayed_from_the_page_and_its_payment_completes()
    {
        _fault.On = true;
        var payment = Guid.NewGuid();
        var messageId = Guid.NewGuid().ToString();
        await _amqp.PublishCommand("authorise-payment", AuthoriseJson(payment), messageId);
        await WaitForDepth(AuthoriseErrors, 1);
        Assert.Null(await _driver.Payment(payment, Cancellation));

        _fault.On = false;
        await _page.GotoAsync("/ops");
        await OpenWithKey();
        var group = _page.Locator($"section[data-queue='{AuthoriseErrors}'] tbody tr");
        await Assertions.Expect(group.Locator("td").Nth(4)).ToHaveTextAsync(RuleNotDeployedException.Text);
        await Assertions.Expect(group.Locator("td").Nth(3)).ToHaveTextAsync(messageId);
        await group.GetByRole(AriaRole.Button, new() { Name = "Replay group" }).ClickAsync();

        await Assertions.Expect(_page.Locator("#status")).ToContainTextAsync("1 message(s) replayed");
        var state = await _driver.WaitForState(payment, "Authorised", Timeout);
        Assert.Equal(["Authorise"], state.Operations.Select(o => o.Command));
        await WaitForDepth(AuthoriseErrors, 0);
    }

    [Fact]
    public async Task A_quarantined_outbox_row_released_from_the_page_is_delivered_and_leaves_the_list()
    {
        var destination = await Sink();
        var key = await WriteOutboxRow(destination);
        var sequenceNumber = await Quarantine(key);

        await _page.GotoAsync("/ops");
        await OpenWithKey();
        var row = _page.Locator($"#quarantined tr[data-sequence-number='{sequenceNumber}']");
        await Assertions.Expect(row).ToContainTextAsync("System.TimeoutException: the broker did not answer");
        Assert.DoesNotContain(key, _received);

        await row.GetByRole(AriaRole.Button, new() { Name = "Release" }).ClickAsync();

        await Assertions.Expect(_page.Locator("#status")).ToContainTextAsync($"Outbox row #{sequenceNumber} released.");
        await Eventually.True(() => _received.Contains(key), $"the released row's message {key} to arrive");
        await Eventually.True(async () => await _driver.Count<OutboxMessage>(q => q.Where(r => r.SequenceNumber == sequenceNumber)) == 0,
            $"outbox row {sequenceNumber} to be gone once sent");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
    }

    /// <summary>/usr/bin/chromium (Debian's package, installed by infra/scripts/install-services.sh) or PAYMENTS_TEST_CHROMIUM.</summary>
    private static string Chromium()
    {
        // Playwright drives the browser the machine has; it must never fetch one of its own.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var path = Environment.GetEnvironmentVariable("PAYMENTS_TEST_CHROMIUM") is { Length: > 0 } set ? set : "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The /ops browser tests need Chromium at {path}, and there is none. Install Debian's chromium "
                + "package (bash infra/scripts/install-services.sh does, or apt-get install -y chromium), or set PAYMENTS_TEST_CHROMIUM to a Chromium binary.");
        }

        return path;
    }

    /// <summary>docs/ops-page.png of this repository, for the README.</summary>
    private static string ScreenshotPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Payments.Workflows.sln")))
            directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("No Payments.Workflows.sln above the test binaries."),
            "docs", "ops-page.png");
    }

    private async Task OpenWithKey()
    {
        await _page.Locator("#key").FillAsync(_opsKey);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Assertions.Expect(_page.Locator("body[data-loaded-at]")).ToHaveCountAsync(1);
        await Assertions.Expect(_page.Locator("#outbox dd")).Not.ToHaveCountAsync(0);
    }

    private static string AuthoriseJson(Guid paymentId) =>
        $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"auth-{{paymentId:N}}","merchantId":"merchant-opspage","customerId":"customer-opspage","amount":12.50,"currency":"EUR","cardToken":"tok_visa"}""";

    /// <summary>A queue of this test's own on the service's bus, whose messages land in <see cref="_received"/>.</summary>
    private async Task<Uri> Sink()
    {
        var name = $"opspage-{Guid.NewGuid():N}";
        var handle = _service!.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(name, e => e.Handler<WorkDone>(c =>
        {
            _received.Enqueue(c.Message.Key);
            return Task.CompletedTask;
        }));
        await handle.Ready;
        return new Uri($"queue:{name}");
    }

    /// <summary>One outbox row, written as the API writes them, due in an hour so the delivery service leaves it alone.</summary>
    private async Task<string> WriteOutboxRow(Uri destination)
    {
        var key = $"row-{Guid.NewGuid():N}";
        await using var scope = _service!.Services.CreateAsyncScope();
        var endpoint = await scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(destination);
        await endpoint.Send(new WorkDone { Key = key }, c => c.Delay = TimeSpan.FromHours(1), Cancellation);
        await scope.ServiceProvider.GetRequiredService<Components.Persistence.PaymentsDbContext>().SaveChangesAsync(Cancellation);
        return key;
    }

    /// <summary>Marks the row of <paramref name="key"/> as the delivery service does after its last failed attempt.</summary>
    private async Task<long> Quarantine(string key)
    {
        await using var scope = _service!.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Components.Persistence.PaymentsDbContext>();
        var sequenceNumber = await db.Set<OutboxMessage>().Where(r => r.Body.Contains(key)).Select(r => r.SequenceNumber).SingleAsync(Cancellation);
        await db.Set<OutboxMessage>().Where(r => r.SequenceNumber == sequenceNumber).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.QuarantinedAt, DateTime.UtcNow)
            .SetProperty(r => r.DeliveryAttempts, 10)
            .SetProperty(r => r.LastError, "System.TimeoutException: the broker did not answer"), Cancellation);
        return sequenceNumber;
    }

    private Task<List<JsonElement>> WaitForDepth(string queue, int depth) =>
        OpsTestService.WaitForDepth(_ops, queue, depth, Timeout, Cancellation);
}
