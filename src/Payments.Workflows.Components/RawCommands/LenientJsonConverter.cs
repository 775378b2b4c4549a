using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Workflows.Components.RawCommands;

/// <summary>
/// Reads a raw command's field as its type when the JSON value has that type, and as null (missing) when it has
/// another: <c>"amount":"ten"</c> or <c>"paymentId":42</c> then makes the command incomplete, answered with a
/// rejection naming the field, instead of failing the whole message into the <c>_error</c> queue. Only bytes that are
/// not JSON at all still fail.
/// </summary>
internal sealed class LenientJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert == typeof(string) || typeToConvert == typeof(Guid?) || typeToConvert == typeof(decimal?);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(string) ? new Text()
        : typeToConvert == typeof(Guid?) ? new Identifier()
        : new Number();

    private sealed class Text : JsonConverter<string>
    {
        public override bool HandleNull => true;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            reader.Skip();
            return value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    private sealed class Identifier : JsonConverter<Guid?>
    {
        public override bool HandleNull => true;

        public override Guid? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            Guid? value = reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var id) ? id : null;
            reader.Skip();
            return value;
        }

        public override void Write(Utf8JsonWriter writer, Guid? value, JsonSerializerOptions options)
        {
            if (value is { } id)
                writer.WriteStringValue(id);
            else
                writer.WriteNullValue();
        }
    }

    private sealed class Number : JsonConverter<decimal?>
    {
        public override bool HandleNull => true;

        public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            decimal? value = reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var amount) ? amount : null;
            reader.Skip();
            return value;
        }

        public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
        {
            if (value is { } amount)
                writer.WriteNumberValue(amount);
            else
                writer.WriteNullValue();
        }
    }
}
