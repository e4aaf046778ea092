using System.Globalization;
using System.Text;
using System.Text.Json;
using Kindling.Json;
using k8s.Models;
using Kindling.Spark;
using Kindling.Spark.Notebook;

namespace Kindling.Resources;

/// <summary>
/// The secret part of kindling.yaml's <c>spark.conf</c> (keys matching Spark's redaction pattern, see
/// <see cref="SparkSecretConf"/>): one Secret, read by the notebook pod through <c>secretKeyRef</c> env vars, so
/// the values appear in no pod spec, ConfigMap, env value or log. Absent when no such key is set.
/// </summary>
internal static class SparkConfSecret
{
    /// <summary>The Secret's name.</summary>
    public static string Name(ManifestInputs inputs) => $"{inputs.Spec.Name}-spark-conf";

    /// <summary>The Secret, or null when the conf holds no secret.</summary>
    public static Manifest? Manifest(ManifestInputs inputs)
    {
        var (_, secret) = SparkSecretConf.Split(inputs.Spec.Spark.Conf);
        if (secret.Count == 0) return null;
        return new Manifest(new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = StandardLabels.Metadata(inputs, Name(inputs), StandardLabels.JupyterApp, "spark-conf"),
            Type = "Opaque",
            // Conf keys are valid Secret keys ([-._a-zA-Z0-9]+), so each value is stored under its own key.
            Data = secret.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value), StringComparer.Ordinal),
        }, ApplyPhase.Foundation)
        {
            Comment = "Values of spark.conf keys matching Spark's redaction pattern (secret|password|token|access.key) from kindling.yaml.\n" +
                      "This file holds them: it is written readable by you only; keep it out of version control.",
        };
    }

    /// <summary>
    /// The notebook's env vars: <c>SPARK_SECRET_CONF_KEYS</c> lists the keys (names are not secret) as JSON, and
    /// <c>SPARK_SECRET_CONF_&lt;n&gt;</c> reads the n-th value from the Secret.
    /// </summary>
    public static IEnumerable<V1EnvVar> Environment(ManifestInputs inputs)
    {
        var (_, secret) = SparkSecretConf.Split(inputs.Spec.Spark.Conf);
        if (secret.Count == 0) yield break;
        var keys = secret.Keys.ToList();
        yield return new V1EnvVar { Name = NotebookSecretConf.KeysVariable, Value = JsonSerializer.Serialize(keys, KindlingJsonContext.Default.ListString) };
        for (var i = 0; i < keys.Count; i++)
        {
            yield return new V1EnvVar
            {
                Name = NotebookSecretConf.ValueVariable(i),
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = Name(inputs), Key = keys[i], Optional = false } },
            };
        }
    }
}

/// <summary>Env var names the notebook's start-up file reads the secret conf from.</summary>
internal static class NotebookSecretConf
{
    public const string KeysVariable = "SPARK_SECRET_CONF_KEYS";

    public static string ValueVariable(int index) => "SPARK_SECRET_CONF_" + index.ToString(CultureInfo.InvariantCulture);
}
