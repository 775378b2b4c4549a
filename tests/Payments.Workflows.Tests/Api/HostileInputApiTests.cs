using System.Net.Http.Headers;
using System.Text;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Tests.Api;

/// <summary>
/// Security review §3, input (acceptance tests 11–14, 17): what the API cannot store or read as the client meant it is
/// refused, naming the field, and leaves no trace: no idempotency record, no payment, no outbox row.
/// </summary>
public sealed class HostileInputApiTests(PaymentsApiFixture fixture) : ApiTests(fixture)
{
    public static TheoryData<string, string> RefusedCharacters()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in new[] { "merchantId", "customerId", "cardToken" })
        {
            foreach (var c in new[] { "\u0000", "\u0001", "\n", "\u001F", "\u007F", "\u202A", "\u202E", "\u2066", "\u2069" })
                data.Add(field, c);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedCharacters))]
    public async Task A_text_field_with_a_control_or_bidirectional_character_is_refused_naming_it(string field, string character)
    {
        var marker = Marker();
        var body = Body(field == "merchantId" ? $"m{character}{marker}" : Merchant, field == "customerId" ? $"c{character}{marker}" : Customer,
            field == "cardToken" ? $"tok{character}{marker}" : $"tok_{marker}");

        var problem = await ApiAssert.Problem(await Post("/payments", body, $"auth-{marker}"), HttpStatusCode.BadRequest, field);

        Assert.Contains($"U+{(int)character[0]:X4}", problem.Errors![field][0], StringComparison.Ordinal);
        await NothingRecorded($"auth-{marker}", marker);
    }

    [Theory]
    [InlineData("merchantId", 64)]
    [InlineData("customerId", 64)]
    [InlineData("cardToken", 128)]
    public async Task Length_limits_hold_in_code_points_and_in_UTF16_units_alike(string field, int limit)
    {
        // One over in code points; half as many code points beyond U+FFFF, one over in UTF-16 units.
        foreach (var value in new[] { new string('x', limit + 1), string.Concat(Enumerable.Repeat("\U0001F600", (limit / 2) + 1)) })
        {
            var marker = Marker();
            var body = Body(field == "merchantId" ? value : Merchant, field == "customerId" ? value : Customer, field == "cardToken" ? value : $"tok_{marker}");
            await ApiAssert.Problem(await Post("/payments", body, $"auth-{marker}"), HttpStatusCode.BadRequest, field);
            Assert.Equal(0, await Fixture.IdempotentRequestCount($"auth-{marker}"));
        }

        // Exactly at the limit: 'é' is one code point and one UTF-16 unit, the emoji two units each.
        foreach (var value in new[] { new string('é', limit), string.Concat(Enumerable.Repeat("\U0001F600", limit / 2)) })
        {
            var merchant = field == "merchantId" ? value : Merchant;
            var body = Body(merchant, field == "customerId" ? value : Customer, field == "cardToken" ? value : "tok_visa");
            await PaymentsApiClient.Accepted(await Post("/payments", body, $"auth-{Marker()}", merchant));
        }
    }

    [Theory]
    [InlineData("\t")]
    [InlineData("\u007F")]
    [InlineData("\u202E")]
    [InlineData("key\u2066x")]
    public async Task An_idempotency_key_with_a_control_or_bidirectional_character_is_refused_on_every_command(string key)
    {
        var payment = await Api.Authorised(Merchant, Customer);
        var marker = Marker();

        await ApiAssert.Problem(await Post("/payments", Body(Merchant, Customer, $"tok_{marker}"), key), HttpStatusCode.BadRequest, "Idempotency-Key");
        foreach (var (command, body) in new[] { ("captures", """{"amount":1.00}"""), ("void", "{}"), ("refunds", """{"amount":1.00}""") })
        {
            await ApiAssert.Problem(await Post($"/payments/{payment.PaymentId}/{command}", body, key, Merchant), HttpStatusCode.BadRequest,
                "Idempotency-Key");
        }

        await NothingRecorded(key, marker);
        Assert.Equal("Authorised", (await Api.Get(payment.PaymentId)).State);
    }

    [Fact]
    public async Task An_unknown_member_is_refused_naming_it_even_a_currency_on_a_capture()
    {
        var payment = await Api.Authorised(Merchant, Customer);
        var marker = Marker();

        var authorise = $$"""{"merchantId":"{{Merchant}}","customerId":"{{Customer}}","amount":10.00,"currency":"EUR","cardToken":"tok_{{marker}}","isTest":true}""";
        await ApiAssert.Problem(await Post("/payments", authorise, $"auth-{marker}"), HttpStatusCode.BadRequest, "isTest");
        await ApiAssert.Problem(await Post($"/payments/{payment.PaymentId}/captures", """{"amount":1.00,"currency":"JPY"}""", $"cap-{marker}", Merchant),
            HttpStatusCode.BadRequest, "currency");
        await ApiAssert.Problem(await Post($"/payments/{payment.PaymentId}/void", """{"reason":"fraud"}""", $"void-{marker}", Merchant),
            HttpStatusCode.BadRequest, "reason");
        // Names are matched exactly: "Amount" is not "amount".
        await ApiAssert.Problem(await Post($"/payments/{payment.PaymentId}/captures", """{"Amount":1.00}""", $"cap2-{marker}", Merchant),
            HttpStatusCode.BadRequest, "Amount");

        await NothingRecorded($"auth-{marker}", marker);
        Assert.Equal(0, await Fixture.IdempotentRequestCount($"cap-{marker}") + await Fixture.IdempotentRequestCount($"void-{marker}")
            + await Fixture.IdempotentRequestCount($"cap2-{marker}"));
        Assert.Equal(0m, (await Api.Get(payment.PaymentId)).CapturedAmount);
    }

    [Fact]
    public async Task A_duplicated_member_is_refused_rather_than_the_last_one_winning()
    {
        var marker = Marker();
        var body = $$"""{"merchantId":"{{Merchant}}","customerId":"{{Customer}}","amount":1.00,"currency":"EUR","cardToken":"tok_{{marker}}","amount":999999}""";

        var problem = await ApiAssert.Problem(await Post("/payments", body, $"auth-{marker}"), HttpStatusCode.BadRequest, "amount");

        Assert.Contains("more than once", problem.Detail, StringComparison.Ordinal);
        await NothingRecorded($"auth-{marker}", marker);
    }

    [Fact]
    public async Task Nesting_deeper_than_eight_levels_is_refused()
    {
        var marker = Marker();
        var nested = string.Concat(Enumerable.Repeat("[", 8)) + string.Concat(Enumerable.Repeat("]", 8));
        var body = $$"""{"merchantId":"{{Merchant}}","customerId":"{{Customer}}","amount":1.00,"currency":"EUR","cardToken":"tok_{{marker}}","x":{{nested}}}""";

        var problem = await ApiAssert.Problem(await Post("/payments", body, $"auth-{marker}"), HttpStatusCode.BadRequest, "body");

        Assert.Contains("deeper than 8", problem.Detail, StringComparison.Ordinal);
        await NothingRecorded($"auth-{marker}", marker);
    }

    [Fact]
    public async Task A_body_of_16_KB_is_read_and_one_byte_more_is_413()
    {
        var marker = Marker();
        var body = Body(Merchant, Customer, $"tok_{marker}");
        var padded = body + new string(' ', (16 * 1024) - Encoding.UTF8.GetByteCount(body));

        await ApiAssert.Problem(await Post("/payments", padded + " ", $"auth-{marker}"), HttpStatusCode.RequestEntityTooLarge);
        await NothingRecorded($"auth-{marker}", marker);

        await PaymentsApiClient.Accepted(await Post("/payments", padded, $"auth-{marker}"));
    }

    [Fact]
    public async Task A_10_MB_body_is_413_with_or_without_a_length()
    {
        var marker = Marker();
        var huge = $$"""{"merchantId":"{{Merchant}}","customerId":"{{Customer}}","cardToken":"tok_{{marker}}","currency":"{{new string('A', 10 * 1024 * 1024)}}"}""";

        await ApiAssert.Problem(await Post("/payments", huge, $"auth-{marker}"), HttpStatusCode.RequestEntityTooLarge);

        // Chunked: no Content-Length to refuse on, so the read itself stops past the limit.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("Idempotency-Key", $"auth-{marker}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Fixture.Factory.Keys.Merchant(Merchant));
        await ApiAssert.Problem(await Api.Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);

        await NothingRecorded($"auth-{marker}", marker);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    public async Task Every_POST_without_a_JSON_content_type_is_415(string? contentType)
    {
        var payment = await Api.Authorised(Merchant, Customer);
        var marker = Marker();
        var requests = new[]
        {
            ("/payments", Body(Merchant, Customer, $"tok_{marker}")),
            ($"/payments/{payment.PaymentId}/captures", """{"amount":1.00}"""),
            ($"/payments/{payment.PaymentId}/void", ""),
            ($"/payments/{payment.PaymentId}/refunds", """{"amount":1.00}"""),
        };

        foreach (var (path, body) in requests)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            if (contentType is not null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            request.Headers.Add("Idempotency-Key", $"ct-{marker}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Fixture.Factory.Keys.Merchant(Merchant));
            // A wrong type may be refused by routing (the endpoint's Accepts metadata) before the handler: a problem without detail.
            var response = await Api.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType,
                $"{path} as {contentType ?? "(none)"}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await NothingRecorded($"ct-{marker}", marker);
        Assert.Equal("Authorised", (await Api.Get(payment.PaymentId)).State);
    }

    [Fact]
    public async Task A_1_MB_currency_is_answered_in_under_1_KB_with_at_most_64_characters_of_it()
    {
        var marker = Marker();
        var body = Body(Merchant, Customer, $"tok_{marker}", currency: new string('Q', 1024 * 1024));

        // Over the body limit as a whole; the same value inside the limit is echoed cut.
        await ApiAssert.Problem(await Post("/payments", body, $"auth-{marker}"), HttpStatusCode.RequestEntityTooLarge);
        var response = await Post("/payments", Body(Merchant, Customer, $"tok_{marker}", currency: new string('Q', 15 * 1024)), $"auth-{marker}");
        var text = await response.Content.ReadAsStringAsync();
        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest, "currency");

        Assert.True(Encoding.UTF8.GetByteCount(text) < 1024, $"{Encoding.UTF8.GetByteCount(text)} bytes: {text}");
        Assert.Contains(new string('Q', 64), problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('Q', 65), problem.Detail, StringComparison.Ordinal);
        await NothingRecorded($"auth-{marker}", marker);
    }

    [Fact]
    public async Task Echoed_control_and_bidirectional_characters_come_back_escaped()
    {
        var marker = Marker();
        var response = await Post("/payments", Body(Merchant, Customer, $"tok_{marker}", currency: "E\u0000U\u202ER\n"), $"auth-{marker}");
        var problem = await ApiAssert.Problem(response, HttpStatusCode.BadRequest, "currency");

        Assert.Contains("""E\u0000U\u202ER\u000A""", problem.Errors!["currency"][0], StringComparison.Ordinal);
        Assert.DoesNotContain('\u0000', problem.Detail);
        Assert.DoesNotContain('\u202E', problem.Detail);
    }

    [Theory]
    [InlineData("EUR", "10.000", "10.00")]
    [InlineData("EUR", "10", "10.00")]
    [InlineData("JPY", "1500.0", "1500")]
    [InlineData("BHD", "2.5", "2.500")]
    public async Task An_amount_is_carried_with_its_currency_s_exponent(string currency, string sent, string carried)
    {
        var body = $$"""{"merchantId":"{{Merchant}}","customerId":"{{Customer}}","amount":{{sent}},"currency":"{{currency}}","cardToken":"tok_visa"}""";
        var paymentId = await PaymentsApiClient.Accepted(await Post("/payments", body, $"auth-{Marker()}"));
        await Api.WaitForState(paymentId, "Authorised");

        var authorised = await Eventually.Matches(_ => Task.FromResult(Fixture.Published<PaymentAuthorised>().FirstOrDefault(e => e.PaymentId == paymentId)),
            e => e is not null, "the PaymentAuthorised event");
        Assert.Equal(carried, authorised!.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Marker() => Guid.NewGuid().ToString("N")[..16];

    private static string Body(string merchantId, string customerId, string cardToken, string currency = "EUR") =>
        PaymentsApiClient.AuthoriseBody(merchantId, customerId, 10.00m, currency, cardToken);

    /// <summary>A POST with <c>application/json</c> and the key of <paramref name="merchant"/> (the test's own by default).</summary>
    private async Task<HttpResponseMessage> Post(string path, string body, string idempotencyKey, string? merchant = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Fixture.Factory.Keys.Merchant(merchant ?? Merchant));
        return await Api.Http.SendAsync(request);
    }

    /// <summary>No idempotency record under the key, no outbox row and no payment carrying the marker.</summary>
    private async Task NothingRecorded(string idempotencyKey, string marker)
    {
        Assert.Equal(0, await Fixture.IdempotentRequestCount(idempotencyKey));
        Assert.Equal(0, await Fixture.WithDb(db => db.Set<OutboxMessage>().CountAsync(m => m.Body.Contains(marker))));
        Assert.Equal(0, await Fixture.WithDb(db => db.Payments.CountAsync(p => p.CardToken.Contains(marker) || p.MerchantId.Contains(marker)
            || p.CustomerId.Contains(marker))));
    }
}
