using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// Clients of the HTTP API as they behave during an outage: each authorises a payment, sends the same request again
/// to the other instance (same idempotency key), waits until it is Authorised, then captures it the same way. A
/// failed or unanswered request is retried with its key until it is accepted; a 4xx other than those fails the run.
/// </summary>
internal sealed class PaymentTraffic(OutageRig rig, string prefix)
{
    private const int Merchants = 3;
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _failures = new();
    private readonly string[] _keys = new string[Merchants];
    private int _started;

    /// <summary>Why a client gave up on a payment (an unexpected answer, or its deadline), one line each.</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Payments whose first request has been sent.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Starts <paramref name="payments"/> payments, one every <paramref name="spacing"/>; ends when each is captured or given up.</summary>
    public Task<IReadOnlyList<Guid>> Run(int payments, TimeSpan spacing, TimeSpan deadline) => Start(payments, spacing, deadline, Pay);

    /// <summary>
    /// Authorises <paramref name="payments"/> payments, one every <paramref name="spacing"/>, each on both instances with
    /// its key; ends when every request is accepted, without waiting for the acquirer's answer or capturing.
    /// </summary>
    public Task<IReadOnlyList<Guid>> AuthoriseOnly(int payments, TimeSpan spacing, TimeSpan deadline) =>
        Start(payments, spacing, deadline, async (i, id, ct) =>
        {
            var (authorise, _) = Bodies(i, id);
            await PostUntilAccepted(i, i, "/payments", authorise, $"{prefix}-auth-{i}", ct);
            await PostUntilAccepted(i, i + 1, "/payments", authorise, $"{prefix}-auth-{i}", ct);
        });

    private async Task<IReadOnlyList<Guid>> Start(int payments, TimeSpan spacing, TimeSpan deadline, Func<int, Guid, CancellationToken, Task> pay)
    {
        var ct = TestContext.Current.CancellationToken;
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        giveUp.CancelAfter(deadline);
        var ids = Enumerable.Range(0, payments).Select(_ => Guid.NewGuid()).ToList();

        // The merchants' keys are made before any outage, as a real merchant holds its key: reading the database to
        // pick a key while the database is away would fail the client, not the service.
        for (var m = 0; m < Merchants; m++)
            _keys[m] = await rig.Instances[0].Keys.Merchant(MerchantOf(m));

        var running = new List<Task>();
        for (var i = 0; i < payments; i++)
        {
            running.Add(PayOrRecord(i, ids[i], pay, giveUp.Token));
            Interlocked.Increment(ref _started);
            await Task.Delay(spacing, ct);
        }

        await Task.WhenAll(running);
        return ids;
    }

    private async Task PayOrRecord(int i, Guid id, Func<int, Guid, CancellationToken, Task> pay, CancellationToken ct)
    {
        try
        {
            await pay(i, id, ct);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var line = $"payment {i} ({id}): {e.GetType().Name}: {e.Message}";
            _failures.Enqueue(line);
            rig.Log(line);
        }
    }

    private async Task Pay(int i, Guid id, CancellationToken ct)
    {
        // Instance slots, as a client's address behind a load balancer: the instance in a slot may be replaced.
        var (first, other) = (i, i + 1);
        var (authorise, capture) = Bodies(i, id);

        await PostUntilAccepted(i, first, "/payments", authorise, $"{prefix}-auth-{i}", ct);
        await PostUntilAccepted(i, other, "/payments", authorise, $"{prefix}-auth-{i}", ct);
        await Eventually.Matches(probe => StateOf(id, i, probe), s => s is "Authorised" or "Captured", $"payment {id} to be Authorised",
            Timeout(ct), cancellationToken: ct);
        await PostUntilAccepted(i, other, $"/payments/{id}/captures", capture, $"{prefix}-capture-{i}", ct);
        await PostUntilAccepted(i, first, $"/payments/{id}/captures", capture, $"{prefix}-capture-{i}", ct);
    }

    private static (string Authorise, string Capture) Bodies(int i, Guid id)
    {
        var amount = 10.00m + i;
        var authorise = JsonSerializer.Serialize(new
        {
            paymentId = id,
            merchantId = MerchantOf(i),
            customerId = $"customer-{i}",
            amount,
            currency = "EUR",
            cardToken = "tok_visa",
        });
        return (authorise, JsonSerializer.Serialize(new { amount }));
    }

    private static TimeSpan Timeout(CancellationToken ct) => ct.IsCancellationRequested ? TimeSpan.Zero : TimeSpan.FromMinutes(3);

    // GET /payments/{id} through either instance; an error answer is a state like any other, to wait past.
    private async Task<string> StateOf(Guid id, int payment, CancellationToken ct)
    {
        var instance = rig.Instances[payment % rig.Instances.Count];
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/payments/{id}");
            request.Headers.Authorization = KeyOf(payment);
            using var response = await instance.Http.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.OK)
                return $"HTTP {(int)response.StatusCode}";
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return body.RootElement.GetProperty("state").GetString() ?? "(no state)";
        }
        catch (Exception e) when (IsUnanswered(e, ct))
        {
            return $"({e.GetType().Name})";
        }
    }

    // A request sent to a stopping or stopped instance, as TestServer fails it (its response flush cancelled, the
    // server disposed), is a connection reset or refused: the client tries again.
    private static bool IsUnanswered(Exception e, CancellationToken ct) =>
        e is HttpRequestException or ObjectDisposedException or OperationCanceledException && !ct.IsCancellationRequested;

    private async Task PostUntilAccepted(int payment, int slot, string path, string json, string key, CancellationToken ct)
    {
        var attempts = 0;
        var last = "";
        while (true)
        {
            attempts++;
            var instance = rig.Instances[slot % rig.Instances.Count];
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", key);
                request.Headers.Authorization = KeyOf(payment);
                using var response = await instance.Http.SendAsync(request, ct);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    if (attempts > 1)
                        rig.Log($"{key} accepted by {instance.Name} after {attempts} attempts (last: {last})");
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
                if ((int)response.StatusCode < 500)
                {
                    Assert.Fail($"POST {path} ({key}) to {instance.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
            catch (Exception e) when (IsUnanswered(e, ct))
            {
                last = e.GetType().Name;
            }

            if (ct.IsCancellationRequested)
                Assert.Fail($"POST {path} ({key}) to slot {slot % rig.Instances.Count} was never accepted in {attempts} attempts; last: {last}");
            await Task.Delay(RetryPause, ct);
        }
    }

    private static string MerchantOf(int payment) => $"merchant-{payment % Merchants}";

    private AuthenticationHeaderValue KeyOf(int payment) => new("Bearer", _keys[payment % Merchants]);
}
