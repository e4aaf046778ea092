using System.Text.Json;
using System.Text.Json.Serialization;
using Kindling.Cli.Commands;

namespace Kindling.Cli;

/// <summary>The one JSON style of every <c>-o json</c> output: camelCase, indented, enums as strings, durations as <c>5m</c>.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new DurationConverter() },
    };

    /// <summary>The same style, with nulls kept: the error object always has code, message and location.</summary>
    public static readonly JsonSerializerOptions WithNulls = new(Options) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static void Write<T>(TextWriter writer, T value) =>
        writer.WriteLine(JsonSerializer.Serialize(value, Options));

    /// <summary>TimeSpan as kubectl writes durations (<c>12.3s</c>, <c>5m</c>), never .NET's <c>00:05:00</c>.</summary>
    private sealed class DurationConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DurationOption.TryParse(reader.GetString() ?? "", out var value) ? value : throw new JsonException("not a duration");

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteStringValue(DurationOption.Format(value));
    }
}
