using System.Text;
using k8s.Models;
using Kindling.Resources;

namespace Kindling.Spark;

/// <summary>The objects created next to the driver pod: its conf ConfigMap, its headless Service, its files.</summary>
internal static class DriverResourcesBuilder
{
    /// <summary>The immutable ConfigMap with the resolved <c>spark.properties</c> (KubernetesClientUtils.buildConfigMap).</summary>
    public static V1ConfigMap ConfConfigMap(SparkNames names, string ns, IReadOnlyDictionary<string, string> conf) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Metadata(names.ConfConfigMap, ns, names),
        Immutable = true,
        Data = new Dictionary<string, string>
        {
            [SparkConventions.ConfFileName] = SparkProperties.Write(conf, $"Java properties built by Kindling for config map {names.ConfConfigMap}"),
        },
    };

    /// <summary>
    /// The immutable Secret with the driver's secret-like conf (<see cref="DriverSecretConf"/>): one key per env var
    /// the driver reads from it (<c>SPARK_SUBMIT_OPTS</c>, secret <c>driverEnv</c> values); env var names are valid Secret keys.
    /// </summary>
    public static V1Secret ConfSecret(SparkNames names, string ns, DriverSecretConf secrets) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = Metadata(names.ConfSecret, ns, names),
        Type = "Opaque",
        Immutable = true,
        Data = secrets.Env.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value), StringComparer.Ordinal),
    };

    /// <summary>
    /// A copy of <paramref name="secret"/> fit to print: every value replaced by Spark's redaction text, the keys kept.
    /// </summary>
    public static V1Secret Redacted(V1Secret secret) => new()
    {
        ApiVersion = secret.ApiVersion,
        Kind = secret.Kind,
        Metadata = secret.Metadata,
        Type = secret.Type,
        Immutable = secret.Immutable,
        StringData = secret.Data?.ToDictionary(kv => kv.Key, _ => SparkRedaction.Replacement, StringComparer.Ordinal),
    };

    /// <summary>
    /// The headless Service executors use to reach the driver (DriverServiceFeatureStep): no cluster IP, the
    /// driver's labels as selector, the RPC, block manager and UI ports.
    /// </summary>
    public static V1Service Service(SparkNames names, SparkSubmitTarget target, IDictionary<string, string> driverLabels) =>
        HeadlessDriverService.Build(
            Metadata(names.DriverService, target.Namespace, names),
            driverLabels,
            [
                new(SparkConventions.DriverPortName, target.DriverPort),
                new(SparkConventions.BlockManagerPortName, target.BlockManagerPort),
                new(SparkConventions.UiPortName, target.UiPort),
            ]);

    /// <summary>Small local files, mounted read-only on the driver; text as data, anything else as binaryData.</summary>
    public static V1ConfigMap FilesConfigMap(SparkNames names, string ns, IReadOnlyList<ShippedFile> files)
    {
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var binary = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        foreach (var file in files)
        {
            try
            {
                data[file.Name] = strict.GetString(file.Content);
            }
            catch (DecoderFallbackException)
            {
                binary[file.Name] = file.Content;
            }
        }
        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = Metadata(names.FilesConfigMap, ns, names),
            Immutable = true,
            Data = data.Count > 0 ? data : null,
            BinaryData = binary.Count > 0 ? binary : null,
        };
    }

    /// <summary>
    /// Makes <paramref name="owned"/> belong to the created driver pod (KubernetesUtils.addOwnerReference):
    /// deleting the pod then garbage-collects the ConfigMaps and the Service, as it does the executors.
    /// </summary>
    public static void SetOwner(V1ObjectMeta owned, V1Pod driverPod) =>
        owned.OwnerReferences =
        [
            new V1OwnerReference
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Name = driverPod.Metadata.Name,
                Uid = driverPod.Metadata.Uid,
                Controller = true,
            },
        ];

    private static V1ObjectMeta Metadata(string name, string ns, SparkNames names) => new()
    {
        Name = name,
        NamespaceProperty = ns,
        Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/managed-by"] = KindlingLabels.ManagedBy,
            [SparkConventions.AppIdLabel] = names.AppId,
        },
    };

}
