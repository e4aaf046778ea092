using Kindling.Configuration;
using Kindling.Resources;

namespace Kindling.Spark;

/// <summary>
/// The S3A conf that points Spark at the in-cluster object store (<c>storage.local</c>). Key names are hadoop-aws's
/// (<c>org.apache.hadoop.fs.s3a.Constants</c>, passed through Spark's <c>spark.hadoop.</c> prefix):
/// <list type="bullet">
/// <item><c>fs.s3a.endpoint</c> with an <c>http://</c> URL: the store's Service; S3A takes the scheme of a full URL.</item>
/// <item><c>fs.s3a.connection.ssl.enabled=false</c>: in-cluster traffic is plain http (S3A's default is https for
/// an endpoint given without a scheme).</item>
/// <item><c>fs.s3a.path.style.access=true</c>: <c>http://host/bucket/key</c>, since virtual-host style needs DNS for
/// <c>bucket.host</c>, which a cluster Service name does not have.</item>
/// <item><c>fs.s3a.endpoint.region</c>: hadoop-aws 3.4 (SDK v2) must know a region for a non-AWS endpoint it cannot
/// parse one from (HADOOP-18938, DefaultS3ClientFactory); SeaweedFS accepts any region in the SigV4 scope.</item>
/// <item><c>fs.s3a.aws.credentials.provider</c>: the SDK's environment provider, so S3A signs with the store's
/// credentials that every pod reads from the store's Secret (<c>secretKeyRef</c> env vars) and never from conf.</item>
/// </list>
/// kindling.yaml's <c>spark.conf</c> wins over every key here.
/// </summary>
public static class LocalObjectStoreConf
{
    public const string Endpoint = "spark.hadoop.fs.s3a.endpoint";
    public const string EndpointRegion = "spark.hadoop.fs.s3a.endpoint.region";
    public const string PathStyleAccess = "spark.hadoop.fs.s3a.path.style.access";
    public const string SslEnabled = "spark.hadoop.fs.s3a.connection.ssl.enabled";

    /// <summary>The region S3A signs with; any value works for SeaweedFS, this one is the AWS SDKs' own default.</summary>
    public const string Region = "us-east-1";

    // EnvSecretsFeatureStep: spark.kubernetes.{driver,executor}.secretKeyRef.[EnvName]=[SecretName]:[Key].
    private const string DriverSecretKeyRef = "spark.kubernetes.driver.secretKeyRef.";
    private const string ExecutorSecretKeyRef = "spark.kubernetes.executor.secretKeyRef.";

    /// <summary>
    /// The S3A keys every Spark process needs to reach the store (History Server included), or none when
    /// <c>storage.local</c> is off.
    /// </summary>
    public static IReadOnlyDictionary<string, string> S3a(EnvironmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var conf = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!spec.Storage.Local) return conf;
        conf[Endpoint] = ObjectStoreNames.Endpoint(spec.Name, spec.Namespace);
        conf[EndpointRegion] = Region;
        conf[PathStyleAccess] = "true";
        conf[SslEnabled] = "false";
        conf[S3aCredentials.ProviderKey] = EnvironmentProvider(spec.Spark.Version);
        return conf;
    }

    /// <summary>
    /// <see cref="S3a"/> plus the credentials as env vars of the pods Spark creates: executors always, and the driver
    /// pod of a cluster-mode submission (a notebook driver reads them from its own Deployment's env).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Conf(EnvironmentSpec spec)
    {
        var conf = new SortedDictionary<string, string>(S3a(spec).ToDictionary(), StringComparer.Ordinal);
        if (conf.Count == 0) return conf;
        var secret = ObjectStoreNames.Of(spec.Name);
        foreach (var name in (string[])[ObjectStoreNames.AccessKeyIdKey, ObjectStoreNames.SecretAccessKeyKey])
        {
            conf[DriverSecretKeyRef + name] = $"{secret}:{name}";
            conf[ExecutorSecretKeyRef + name] = $"{secret}:{name}";
        }
        return conf;
    }

    /// <summary><paramref name="overrides"/> over <see cref="Conf"/>: what kindling.yaml sets wins.</summary>
    public static IReadOnlyDictionary<string, string> Under(EnvironmentSpec spec, IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var store = Conf(spec);
        if (store.Count == 0) return overrides;
        var merged = new SortedDictionary<string, string>(store.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in overrides) merged[key] = value;
        return merged;
    }

    /// <summary>The environment-variable credentials provider of the hadoop-aws in <paramref name="sparkVersion"/>'s image.</summary>
    public static string EnvironmentProvider(string sparkVersion) =>
        Images.SparkImageVariants.LineOf(sparkVersion)?.Connector.EnvironmentProvider
        ?? (sparkVersion.StartsWith("3.", StringComparison.Ordinal)
            ? "com.amazonaws.auth.EnvironmentVariableCredentialsProvider"
            : "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider");
}
