using System.Text;
using k8s.Models;
using Kindling.Configuration;

namespace Kindling.Resources;

/// <summary>
/// The store's S3 credentials. SeaweedFS makes an admin identity of <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>
/// in its environment when it has no identity config (weed/s3api/auth_credentials.go,
/// <c>loadEnvironmentVariableCredentials</c>), and the AWS SDKs' environment provider reads the same two names, so one
/// Secret whose keys are those names feeds the store and every Spark pod through <c>secretKeyRef</c>: no value appears
/// in a pod spec, ConfigMap, Spark conf or output. Create-only, like the token Secret; <c>down</c> keeps it unless
/// <c>--purge</c>, together with the data it opens.
/// </summary>
internal static class ObjectStoreSecret
{
    public static Manifest Manifest(ManifestInputs inputs) => new(Build(inputs), ApplyPhase.Foundation)
    {
        CreateOnly = true,
        Comment = inputs.StoreCredentials is null
            ? "This Secret is rendered without the object store's credentials, which are never written to disk: 'kindling up' creates them in this\n" +
              "Secret when the Secret does not exist, and never rewrites them. To apply these files without Kindling, create it yourself instead:\n" +
              $"  kubectl -n {inputs.Spec.Namespace} create secret generic {ObjectStoreNames.Of(inputs.Spec.Name)} " +
              $"--from-literal={ObjectStoreNames.AccessKeyIdKey}=$(openssl rand -hex 10) --from-literal={ObjectStoreNames.SecretAccessKeyKey}=$(openssl rand -hex 20)"
            : null,
    };

    public static V1Secret Build(ManifestInputs inputs) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = StandardLabels.Metadata(inputs, ObjectStoreNames.Of(inputs.Spec.Name), ObjectStoreNames.App, "auth"),
        Type = "Opaque",
        // data, not stringData: see JupyterTokenSecret.
        Data = inputs.StoreCredentials is not { } credentials ? null : new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [ObjectStoreNames.AccessKeyIdKey] = Encoding.UTF8.GetBytes(credentials.AccessKeyId),
            [ObjectStoreNames.SecretAccessKeyKey] = Encoding.UTF8.GetBytes(credentials.SecretAccessKey),
        },
    };

    /// <summary>The two env vars read from the Secret; none when <c>storage.local</c> is off.</summary>
    public static IEnumerable<V1EnvVar> Environment(EnvironmentSpec spec)
    {
        if (!spec.Storage.Local) yield break;
        foreach (var key in (string[])[ObjectStoreNames.AccessKeyIdKey, ObjectStoreNames.SecretAccessKeyKey])
        {
            yield return new V1EnvVar
            {
                Name = key,
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = ObjectStoreNames.Of(spec.Name), Key = key, Optional = false } },
            };
        }
    }
}
