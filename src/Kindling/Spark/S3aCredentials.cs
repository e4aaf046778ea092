using Kindling.Configuration;

namespace Kindling.Spark;

/// <summary>
/// How S3A authenticates when Spark pods run under an IRSA role. The EKS pod identity webhook gives every pod
/// of the annotated ServiceAccount <c>AWS_ROLE_ARN</c> and <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>; naming the
/// web-identity provider explicitly makes S3A use them rather than fall through its default chain to the node's
/// instance role, which would silently give every pod on the node the node's permissions.
/// </summary>
public static class S3aCredentials
{
    /// <summary>The S3A setting, passed to Hadoop through Spark's <c>spark.hadoop.</c> prefix.</summary>
    public const string ProviderKey = "spark.hadoop.fs.s3a.aws.credentials.provider";

    /// <summary>AWS SDK v1's web-identity provider, for hadoop-aws 3.3.x (Spark 3.5).</summary>
    public const string SdkV1WebIdentityProvider = "com.amazonaws.auth.WebIdentityTokenCredentialsProvider";

    /// <summary>AWS SDK v2's web-identity provider, for hadoop-aws 3.4.x (Spark 4.x).</summary>
    public const string SdkV2WebIdentityProvider = "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider";

    /// <summary>
    /// The web-identity provider class for the hadoop-aws in <paramref name="sparkVersion"/>'s image. It follows the
    /// AWS SDK generation of that hadoop-aws (see <see cref="Images.S3aConnector.WebIdentityProvider"/>), not the Spark
    /// major: what S3A can load depends only on the SDK bundle next to it.
    /// </summary>
    public static string WebIdentityProvider(string sparkVersion) =>
        Images.SparkImageVariants.LineOf(sparkVersion)?.Connector.WebIdentityProvider
        // Unsupported versions never pass validation; a 3.x Spark distribution carries Hadoop 3.3 (SDK v1).
        ?? (sparkVersion.StartsWith("3.", StringComparison.Ordinal) ? SdkV1WebIdentityProvider : SdkV2WebIdentityProvider);

    /// <summary>
    /// The provider class to set, or null when there is no IRSA role (S3A keeps its default chain) or when
    /// kindling.yaml's <c>spark.conf</c> names one itself, which wins.
    /// </summary>
    public static string? ProviderFor(EnvironmentSpec spec, string? sparkRoleArn) =>
        sparkRoleArn is null || spec.Spark.Conf.ContainsKey(ProviderKey) ? null : WebIdentityProvider(spec.Spark.Version);

    /// <summary><c>spark.conf</c> of kindling.yaml, plus the provider when <see cref="ProviderFor"/> gives one.</summary>
    public static IReadOnlyDictionary<string, string> WithProvider(EnvironmentSpec spec, string? sparkRoleArn)
    {
        if (ProviderFor(spec, sparkRoleArn) is not { } provider) return spec.Spark.Conf;
        var conf = new SortedDictionary<string, string>(spec.Spark.Conf.ToDictionary(), StringComparer.Ordinal) { [ProviderKey] = provider };
        return conf;
    }
}
