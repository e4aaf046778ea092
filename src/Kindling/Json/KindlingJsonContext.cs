using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kindling.Configuration;
using Kindling.Spark;

namespace Kindling.Json;

/// <summary>
/// Every Kindling type the library reads or writes as JSON (local state, the rendered-output manifest, Spark's REST
/// API, conf lists handed to the notebook), source-generated so Native AOT needs no reflection. A new JSON type is
/// added here with <c>[JsonSerializable]</c> and serialized through one of <see cref="KindlingJson"/>'s instances.
/// </summary>
[JsonSerializable(typeof(LocalState))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(List<SparkRestApplication>))]
[JsonSerializable(typeof(List<SparkRestExecutor>))]
internal sealed partial class KindlingJsonContext : JsonSerializerContext;

/// <summary>The library's JSON styles, each a <see cref="KindlingJsonContext"/> with its own options.</summary>
internal static class KindlingJson
{
    /// <summary><c>.kindling/state.json</c>: camelCase, indented, nulls left out.</summary>
    public static readonly KindlingJsonContext State = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>Spark's REST API (camelCase names, read case-insensitively).</summary>
    public static readonly KindlingJsonContext SparkRest = new(new JsonSerializerOptions { PropertyNameCaseInsensitive = true });

    /// <summary>Compact values that go into env vars and manifests, never into HTML: '+', '&lt;', '&amp;' stay readable.</summary>
    public static readonly KindlingJsonContext Compact = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
