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
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);
    private const int Merchants = 3;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _failures = new();
    private readonly string[] _keys = new string[Merchants];
    private int _started;

    /// <summary>Why a client gave up on a payment (an unexpected answer, or its deadline), one line each.</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Payments whose first request has been sent.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Starts <paramref name="payments"/> payments, one every <paramref name="spacing"/>; ends when each is captured or given up.</summary>
    public async Task<IReadOnlyList<Guid>> Run(int payments, TimeSpan spacing, TimeSpan deadline)
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
            running.Add(PayOrRecord(i, ids[i], giveUp.Token));
            Interlocked.Increment(ref _started);
            await Task.Delay(spacing, ct);
        }

        await Task.WhenAll(running);
        return ids;
    }

    private async Task PayOrRecord(int i, Guid id, CancellationToken ct)
    {
        try
        {
            await Pay(i, id, ct);
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
        var (first, other) = (rig.Instances[i % 2], rig.Instances[(i + 1) % 2]);
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
        var capture = JsonSerializer.Serialize(new { amount });

        await PostUntilAccepted(first, i, "/payments", authorise, $"{prefix}-auth-{i}", ct);
        await PostUntilAccepted(other, i, "/payments", authorise, $"{prefix}-auth-{i}", ct);
        await Eventually.Matches(probe => StateOf(id, i, probe), s => s is "Authorised" or "Captured", $"payment {id} to be Authorised",
            Timeout(ct), cancellationToken: ct);
        await PostUntilAccepted(other, i, $"/payments/{id}/captures", capture, $"{prefix}-capture-{i}", ct);
        await PostUntilAccepted(first, i, $"/payments/{id}/captures", capture, $"{prefix}-capture-{i}", ct);
    }

    private static TimeSpan Timeout(CancellationToken ct) => ct.IsCancellationRequested ? TimeSpan.Zero : TimeSpan.FromMinutes(3);

    // GET /payments/{id} through either instance; an error answer is a state like any other, to wait past.
    private async Task<string> StateOf(Guid id, int payment, CancellationToken ct)
    {
        var instance = rig.Instances[payment % 2];
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
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return $"({e.GetType().Name})";
        }
    }

    private async Task PostUntilAccepted(ServiceInstance instance, int payment, string path, string json, string key, CancellationToken ct)
    {
        var attempts = 0;
        var last = "";
        while (true)
        {
            attempts++;
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
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                last = e.GetType().Name;
            }

            if (ct.IsCancellationRequested)
                Assert.Fail($"POST {path} ({key}) to {instance.Name} was never accepted in {attempts} attempts; last: {last}");
            await Task.Delay(RetryPause, ct);
        }
    }

    private static string MerchantOf(int payment) => $"merchant-{payment % Merchants}";

    private AuthenticationHeaderValue KeyOf(int payment) => new("Bearer", _keys[payment % Merchants]);
}
