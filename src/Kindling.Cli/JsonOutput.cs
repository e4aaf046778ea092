using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Kindling.Cli.Commands;
using Kindling.Cli.Json;
using Kindling.Cluster;
using Kindling.Images;
using Kindling.Json;
using Kindling.Operations;
using Kindling.Operations.Doctor;
using Kindling.Operations.Provision;
using Kindling.Operations.Verify;
using Kindling.Resources;
using Kindling.Spark;

namespace Kindling.Cli;

/// <summary>
/// The one JSON style of every <c>-o json</c> output: camelCase, indented, enums as camelCase strings, durations as
/// <c>5m</c>. Types come only from the source-generated <see cref="CliJsonContext"/> (no reflection, so the Native AOT
/// binary writes the same bytes): <c>JsonOutput.Write(writer, value, JsonOutput.Types.SomeRecord)</c>.
/// </summary>
internal static class JsonOutput
{
    /// <summary>The output types, nulls left out.</summary>
    public static readonly CliJsonContext Types = new(NewOptions(JsonIgnoreCondition.WhenWritingNull));

    /// <summary>The same style with nulls kept: the error object always has code, message and location.</summary>
    public static readonly CliJsonContext WithNulls = new(NewOptions(JsonIgnoreCondition.Never));

    public static void Write<T>(TextWriter writer, T value, JsonTypeInfo<T> type) =>
        writer.WriteLine(JsonSerializer.Serialize(value, type));

    /// <summary><c>-o yaml</c>: the same tree as <c>-o json</c>, in the same key order, written as YAML.</summary>
    public static void WriteYaml<T>(TextWriter writer, T value, JsonTypeInfo<T> type) =>
        writer.Write(JsonYaml.Write(JsonSerializer.SerializeToNode(value, type)));

    private static JsonSerializerOptions NewOptions(JsonIgnoreCondition ignore) => new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = ignore,
        Converters =
        {
            // The generic converter per enum: the non-generic JsonStringEnumConverter needs run-time code generation,
            // which Native AOT does not have. JsonOutputConventionTests fails when an output enum is missing here.
            Enum<ApplyAction>(), Enum<ApplyPhase>(), Enum<CheckStatus>(), Enum<FileChange>(), Enum<ImageAction>(),
            Enum<ImageSource>(), Enum<InfraOperation>(), Enum<NamespaceState>(), Enum<OrphanReason>(),
            Enum<SparkApplicationState>(), Enum<SparkResourceKind>(), Enum<StageAction>(), Enum<StageStatus>(),
            Enum<ProvisionStage>(), Enum<ProgressStatus>(), Enum<VerifyStageStatus>(),
            new DurationConverter(),
        },
    };

    private static JsonStringEnumConverter<T> Enum<T>() where T : struct, Enum => new(JsonNamingPolicy.CamelCase);

    /// <summary>TimeSpan as kubectl writes durations (<c>12.3s</c>, <c>5m</c>), never .NET's <c>00:05:00</c>.</summary>
    private sealed class DurationConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DurationOption.TryParse(reader.GetString() ?? "", out var value) ? value : throw new JsonException("not a duration");

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteStringValue(DurationOption.Format(value));
    }
}
