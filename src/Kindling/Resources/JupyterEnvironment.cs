using System.Globalization;
using System.Text.Json;
using Kindling.Json;
using k8s.Models;
using Kindling.Spark;
using Kindling.Spark.Notebook;

namespace Kindling.Resources;

/// <summary>
/// The notebook container's environment: everything the start-up file needs to build a client-mode SparkSession
/// (DESIGN §4), plus the Jupyter token from its Secret. Names are in <see cref="NotebookEnvironment"/>.
/// </summary>
internal static class JupyterEnvironment
{
    public static List<V1EnvVar> Build(ManifestInputs inputs)
    {
        var spec = inputs.Spec;
        var spark = spec.Spark;
        var names = new ResourceNames(spec.Name);
        var env = new List<V1EnvVar>
        {
            Value(NotebookEnvironment.Image, inputs.Images.Spark),
            Value(NotebookEnvironment.Master, SparkConventions.InClusterMaster),
            Value(NotebookEnvironment.Namespace, spec.Namespace),
            // spark.kubernetes.driver.pod.name must name this very pod so that Spark sets it as the owner of every
            // executor pod: they are garbage-collected with the notebook pod (DESIGN §5.2, orphan executors).
            Field(NotebookEnvironment.DriverPodName, "metadata.name"),
            Field(NotebookEnvironment.DriverPodIp, "status.podIP"),
            Value(NotebookEnvironment.DriverHost, DriverService.Host(inputs)),
            Value(NotebookEnvironment.DriverPort, Number(spark.DriverPort)),
            Value(NotebookEnvironment.BlockManagerPort, Number(spark.BlockManagerPort)),
            Value(NotebookEnvironment.UiPort, Number(spark.UiPort)),
            Value(NotebookEnvironment.Sessions, Number(spark.NotebookSessions)),
            Value(NotebookEnvironment.ServiceAccount, names.ServiceAccount),
            Value(NotebookEnvironment.ExecutorInstances, Number(spark.Executors.Instances)),
            Value(NotebookEnvironment.ExecutorCores, Number(spark.Executors.Cores)),
            Value(NotebookEnvironment.ExecutorMemory, spark.Executors.Memory),
            Value(NotebookEnvironment.DynamicAllocationEnabled, spark.DynamicAllocation.Enabled ? "true" : "false"),
            Value(NotebookEnvironment.DynamicAllocationMinExecutors, Number(spark.DynamicAllocation.MinExecutors)),
            Value(NotebookEnvironment.DynamicAllocationMaxExecutors, Number(spark.DynamicAllocation.MaxExecutors)),
            Value(NotebookEnvironment.DynamicAllocationIdleTimeout, spark.DynamicAllocation.IdleTimeout),
            Value(NotebookEnvironment.ExecutorPodTemplateFile, ExecutorPodTemplateConfigMap.FilePath),
        };
        if (S3aCredentials.ProviderFor(spec, inputs.SparkRoleArn) is { } provider)
        {
            env.Add(Value(NotebookEnvironment.S3aCredentialsProvider, provider));
        }
        // Event logs, persisted driver logs and Prometheus endpoints are on for notebook sessions too; spark.conf wins.
        // Values whose keys match Spark's redaction pattern come from a Secret, never from this plain variable.
        var (extra, _) = SparkSecretConf.Split(SparkObservability.Merge(spec, clusterModeDriver: false, spark.Conf));
        // The in-cluster store's S3A keys and its Secret references for executors (secretKeyRef keys match the
        // redaction pattern, but their values are a Secret's name and key, not secrets); spark.conf wins.
        foreach (var (key, value) in LocalObjectStoreConf.Conf(spec)) if (!spark.Conf.ContainsKey(key)) extra[key] = value;
        if (extra.Count > 0)
        {
            env.Add(Value(NotebookEnvironment.ExtraConf, ExtraConfJson(extra)));
        }
        env.AddRange(SparkConfSecret.Environment(inputs));
        env.AddRange(ObjectStoreSecret.Environment(spec));

        // jupyter_server reads its port from JUPYTER_PORT; the Service, probes and NetworkPolicy use the same number.
        env.Add(Value(NotebookEnvironment.JupyterPort, Number(spec.Notebook.Port)));
        env.Add(new V1EnvVar
        {
            Name = NotebookEnvironment.JupyterToken,
            ValueFrom = new V1EnvVarSource
            {
                SecretKeyRef = new V1SecretKeySelector { Name = names.TokenSecret, Key = ResourceNames.TokenKey, Optional = false },
            },
        });
        return env;
    }

    /// <summary>The extra conf as a JSON object with ordinal-sorted keys, so equal conf gives equal bytes.</summary>
    public static string ExtraConfJson(IReadOnlyDictionary<string, string> conf)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in conf) sorted[key] = value;
        return JsonSerializer.Serialize(sorted, KindlingJson.Compact.SortedDictionaryStringString);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static V1EnvVar Value(string name, string value) => new() { Name = name, Value = value };

    private static V1EnvVar Field(string name, string fieldPath) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = fieldPath } },
    };
}
