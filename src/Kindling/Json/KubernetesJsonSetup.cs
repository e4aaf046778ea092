using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;

namespace Kindling.Json;

/// <summary>
/// KubernetesClient.Aot resolves JSON only through its source-generated <c>SourceGenerationContext</c>
/// (KubernetesJson's static constructor under K8S_AOT), which has no metadata for <see cref="JsonElement"/> or
/// <see cref="JsonNode"/>. The models' <c>object</c> fields (metadata.managedFields[].fieldsV1, RawExtension,
/// custom objects) hold a JsonElement once read from the server, so serializing an object that came back from the
/// API (an update, a copy, a custom object) would throw. This adds that metadata to KubernetesJson's options
/// before their first use (they freeze then).
/// </summary>
internal static class KubernetesJsonSetup
{
    private static readonly Lock Gate = new();
    private static bool _done;

    // A module initializer runs before any Kindling code can touch KubernetesJson. CA2255 warns libraries away
    // from them because they run implicitly; here running before any other code is the point.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Ensure()
    {
        lock (Gate)
        {
            if (_done) return;
            _done = true;
            KubernetesJson.AddJsonOptions(options =>
            {
                if (options.IsReadOnly) return;
                options.TypeInfoResolver = JsonTypeInfoResolver.Combine(options.TypeInfoResolver, KubernetesValueJsonContext.Default);
            });
        }
    }
}

/// <summary>The free-form JSON values KubernetesClient.Aot's own context lacks (see <see cref="KubernetesJsonSetup"/>).</summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
internal sealed partial class KubernetesValueJsonContext : JsonSerializerContext;
