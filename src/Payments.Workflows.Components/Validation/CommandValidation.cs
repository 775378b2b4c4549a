using System.Globalization;
using System.Text;
using Payments.Workflows.Components.Money;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Validation;

/// <summary>
/// The one check of every payment command's content, used by the HTTP API and the raw AMQP consumers alike, so that
/// what one entry refuses the other refuses too and nothing a database column would refuse reaches the saga.
/// Text fields are bounded in code points and in UTF-16 units (PostgreSQL counts the one, SQL Server the other) and
/// carry no control characters (U+0000–U+001F, U+007F) or bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069); an idempotency key has 1–255 characters; an amount fits its currency's exponent.
/// </summary>
public static class CommandValidation
{
    /// <summary>The most characters of a client's value an error message repeats.</summary>
    public const int EchoLength = 64;

    /// <summary>The fewest characters an idempotency key has.</summary>
    public const int MinimumKeyLength = 1;

    /// <summary>The JSON names of the fields checked here.</summary>
    public static class Fields
    {
        /// <summary>The command's idempotency key (the Idempotency-Key header over HTTP).</summary>
        public const string IdempotencyKey = "idempotencyKey";

        /// <summary>The payment the command is for.</summary>
        public const string PaymentId = "paymentId";

        /// <summary>The merchant an authorisation is for.</summary>
        public const string MerchantId = "merchantId";

        /// <summary>The merchant's customer.</summary>
        public const string CustomerId = "customerId";

        /// <summary>The card token the acquirer is asked about.</summary>
        public const string CardToken = "cardToken";

        /// <summary>The ISO-4217 currency code.</summary>
        public const string Currency = "currency";

        /// <summary>The amount in major units.</summary>
        public const string Amount = "amount";
    }

    /// <summary>Everything wrong with an authorisation, in field order; empty when it is valid.</summary>
    public static IReadOnlyList<FieldProblem> Check(AuthorisePayment command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var problems = new List<FieldProblem>();
        Add(problems, Fields.IdempotencyKey, ProblemWithKey(command.IdempotencyKey));
        if (command.PaymentId == Guid.Empty)
            problems.Add(new FieldProblem(Fields.PaymentId, "paymentId is required and must not be the empty GUID."));
        Add(problems, Fields.MerchantId, ProblemWithText(Fields.MerchantId, command.MerchantId, ColumnLengths.ExternalId));
        Add(problems, Fields.CustomerId, ProblemWithText(Fields.CustomerId, command.CustomerId, ColumnLengths.ExternalId));
        Add(problems, Fields.CardToken, ProblemWithText(Fields.CardToken, command.CardToken, ColumnLengths.CardToken));
        Add(problems, Fields.Currency, ProblemWithCurrency(command.Currency));
        Add(problems, Fields.Amount, ProblemWithAmount(command.Amount, command.Currency));
        return problems;
    }

    /// <summary>Everything wrong with a capture that can be seen without the payment (whose currency decides the decimal places).</summary>
    public static IReadOnlyList<FieldProblem> Check(CapturePayment command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return CheckPaymentCommand(command.PaymentId, command.IdempotencyKey, command.Amount);
    }

    /// <summary>Everything wrong with a refund that can be seen without the payment.</summary>
    public static IReadOnlyList<FieldProblem> Check(RefundPayment command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return CheckPaymentCommand(command.PaymentId, command.IdempotencyKey, command.Amount);
    }

    /// <summary>Everything wrong with a void.</summary>
    public static IReadOnlyList<FieldProblem> Check(VoidPayment command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return CheckPaymentCommand(command.PaymentId, command.IdempotencyKey, amount: null);
    }

    /// <summary>Everything wrong with one of the four payment commands; any other message has nothing to check here.</summary>
    public static IReadOnlyList<FieldProblem> Check(object command) => command switch
    {
        AuthorisePayment authorise => Check(authorise),
        CapturePayment capture => Check(capture),
        RefundPayment refund => Check(refund),
        VoidPayment @void => Check(@void),
        _ => [],
    };

    /// <summary>Why <paramref name="key"/> cannot be an idempotency key, or null when it can.</summary>
    public static string? ProblemWithKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
            return "An idempotency key is required.";
        return ProblemWithCharacters("An idempotency key", key, ColumnLengths.IdempotencyKey);
    }

    /// <summary>Why a required text field cannot be stored as it is, or null when it can.</summary>
    public static string? ProblemWithText(string field, string? value, int maximumLength)
    {
        ArgumentNullException.ThrowIfNull(field);
        return string.IsNullOrWhiteSpace(value) ? $"{field} is required." : ProblemWithCharacters(field, value, maximumLength);
    }

    /// <summary>Why <paramref name="currency"/> is not a currency the service accepts, or null when it is one.</summary>
    public static string? ProblemWithCurrency(string? currency) =>
        string.IsNullOrWhiteSpace(currency) ? "currency is required."
        : Currencies.IsKnown(currency) ? null
        : $"'{Echo(currency)}' is not an ISO-4217 currency code (upper case, e.g. EUR).";

    /// <summary>
    /// Why <paramref name="amount"/> is not a valid amount of <paramref name="currency"/>; when the currency is not known
    /// (yet), only what holds for every currency is checked: more than zero, at most the maximum, at most 3 decimal places.
    /// </summary>
    public static string? ProblemWithAmount(decimal? amount, string? currency)
    {
        if (amount is not { } value)
            return "amount is required.";
        if (Currencies.IsKnown(currency))
            return Currencies.ProblemWithAmount(value, currency!);
        if (value <= 0)
            return $"Amount must be greater than zero; got {value.ToString(CultureInfo.InvariantCulture)}.";
        if (value > Currencies.MaximumAmount)
            return $"Amount must be at most {Currencies.MaximumAmount}; got {value.ToString(CultureInfo.InvariantCulture)}.";
        return decimal.Round(value, Currencies.MostMinorUnitDigits) != value
            ? $"No currency has more than {Currencies.MostMinorUnitDigits} decimal places; got {value.ToString(CultureInfo.InvariantCulture)}."
            : null;
    }

    /// <summary>
    /// <paramref name="amount"/> written with exactly the currency's exponent: 10.000 EUR is 10.00, 10 BHD is 10.000. The
    /// amount must already be valid for the currency (no digits are lost).
    /// </summary>
    public static decimal Normalise(decimal amount, string currency)
    {
        var digits = Currencies.MinorUnitDigits(currency);
        // Round lowers a larger scale to the exponent; adding a zero of that scale raises a smaller one to it.
        return decimal.Round(amount, digits) + new decimal(0, 0, 0, isNegative: false, scale: (byte)digits);
    }

    /// <summary>The authorisation with its amount normalised to its currency's exponent, when the currency is known.</summary>
    public static AuthorisePayment Normalised(AuthorisePayment command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Currencies.IsKnown(command.Currency) ? command with { Amount = Normalise(command.Amount, command.Currency) } : command;
    }

    /// <summary>
    /// A client's value as an error message may repeat it: at most <see cref="EchoLength"/> characters (an ellipsis
    /// marks a cut), control and bidirectional characters written as \uXXXX, so an answer stays small and prints as
    /// what it is.
    /// </summary>
    public static string Echo(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return string.Empty;
        var echo = new StringBuilder(EchoLength + 1);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            var piece = pair ? value.Substring(i, 2)
                : IsRefused(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}"
                : c.ToString();
            if (echo.Length + piece.Length > EchoLength)
                return echo.Append('…').ToString();
            echo.Append(piece);
            if (pair)
                i++;
        }

        return echo.ToString();
    }

    /// <summary>A control character (C0 or DEL) or a bidirectional embedding, override or isolate.</summary>
    public static bool IsRefused(char c) => c <= '\u001F' || c == '\u007F' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';

    private static IReadOnlyList<FieldProblem> CheckPaymentCommand(Guid paymentId, string? idempotencyKey, decimal? amount)
    {
        var problems = new List<FieldProblem>();
        Add(problems, Fields.IdempotencyKey, ProblemWithKey(idempotencyKey));
        if (paymentId == Guid.Empty)
            problems.Add(new FieldProblem(Fields.PaymentId, "paymentId is required and must not be the empty GUID."));
        if (amount is not null)
            Add(problems, Fields.Amount, ProblemWithAmount(amount, currency: null));
        return problems;
    }

    private static void Add(List<FieldProblem> problems, string field, string? problem)
    {
        if (problem is not null)
            problems.Add(new FieldProblem(field, problem));
    }

    /// <summary>Refused characters and unpaired surrogates first (with where they are), then the length in code points and UTF-16 units.</summary>
    private static string? ProblemWithCharacters(string what, string value, int maximumLength)
    {
        var codePoints = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            codePoints++;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return $"{what} must be valid Unicode text; character {codePoints} is an unpaired surrogate U+{(int)c:X4}.";
            else if (IsRefused(c))
                return $"{what} must not contain control or bidirectional-override characters; character {codePoints} is U+{(int)c:X4}.";
        }

        if (codePoints > maximumLength)
            return $"{what} has at most {maximumLength} characters; got {codePoints}.";
        return value.Length > maximumLength
            ? $"{what} has at most {maximumLength} UTF-16 code units (characters beyond U+FFFF count twice); got {value.Length}."
            : null;
    }
}
