namespace Kindling.Spark.Images;

/// <summary>A jar on Maven Central.</summary>
/// <param name="Group">groupId.</param>
/// <param name="Artifact">artifactId.</param>
/// <param name="Version">version.</param>
/// <remarks>
/// No SHA-256 of these jars could be taken from a published source when the table was written, and a made-up one
/// would be worse than none; the image build verifies each jar against the <c>.sha1</c> Maven Central publishes next
/// to it instead (it catches corrupt and truncated downloads, not a compromised repository).
/// </remarks>
public sealed record MavenJar(string Group, string Artifact, string Version)
{
    /// <summary>The path under a Maven repository root: <c>org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar</c>.</summary>
    public string Path => $"{Group.Replace('.', '/')}/{Artifact}/{Version}/{FileName}";

    /// <summary><c>hadoop-aws-3.3.4.jar</c>.</summary>
    public string FileName => $"{Artifact}-{Version}.jar";
}

/// <summary>Which AWS SDK for Java a hadoop-aws release is built on.</summary>
public enum AwsSdkGeneration
{
    /// <summary>AWS SDK for Java 1.x (<c>com.amazonaws</c>), hadoop-aws 3.3.x.</summary>
    V1,

    /// <summary>AWS SDK for Java 2.x (<c>software.amazon.awssdk</c>), hadoop-aws 3.4.x.</summary>
    V2,
}

/// <summary>
/// The S3A connector for one Hadoop release: <c>hadoop-aws</c> of exactly that version and the AWS SDK bundle its
/// <c>hadoop-project/pom.xml</c> declares. The official apache/spark images ship <c>hadoop-client-api</c> and
/// <c>hadoop-client-runtime</c> but neither jar, so <c>s3a://</c> fails with "No FileSystem for scheme s3a" without them.
/// </summary>
/// <param name="HadoopVersion">The Hadoop inside the Spark distribution (its <c>hadoop-client-api-*.jar</c>).</param>
/// <param name="Sdk">The SDK generation of that hadoop-aws.</param>
/// <param name="HadoopAws">The hadoop-aws jar.</param>
/// <param name="SdkBundle">The shaded SDK bundle hadoop-aws depends on.</param>
public sealed record S3aConnector(string HadoopVersion, AwsSdkGeneration Sdk, MavenJar HadoopAws, MavenJar SdkBundle)
{
    /// <summary>Maven Central, where both jars are downloaded from at image build time.</summary>
    public const string MavenCentral = "https://repo1.maven.org/maven2";

    // hadoop-project/pom.xml of release 3.3.4: aws-java-sdk.version 1.12.262 (com.amazonaws:aws-java-sdk-bundle).
    internal static readonly S3aConnector Hadoop334 = new("3.3.4", AwsSdkGeneration.V1,
        new MavenJar("org.apache.hadoop", "hadoop-aws", "3.3.4"),
        new MavenJar("com.amazonaws", "aws-java-sdk-bundle", "1.12.262"));

    // hadoop-project/pom.xml of release 3.4.1: aws-java-sdk-v2.version 2.24.6 (software.amazon.awssdk:bundle).
    internal static readonly S3aConnector Hadoop341 = new("3.4.1", AwsSdkGeneration.V2,
        new MavenJar("org.apache.hadoop", "hadoop-aws", "3.4.1"),
        new MavenJar("software.amazon.awssdk", "bundle", "2.24.6"));

    // hadoop-project/pom.xml of release 3.4.2: aws-java-sdk-v2.version 2.29.52.
    internal static readonly S3aConnector Hadoop342 = new("3.4.2", AwsSdkGeneration.V2,
        new MavenJar("org.apache.hadoop", "hadoop-aws", "3.4.2"),
        new MavenJar("software.amazon.awssdk", "bundle", "2.29.52"));

    /// <summary>Both jars, hadoop-aws first.</summary>
    public IReadOnlyList<MavenJar> Jars => [HadoopAws, SdkBundle];

    /// <summary>
    /// The web-identity (IRSA) credentials provider class S3A accepts for this SDK generation. hadoop-aws 3.3.x
    /// instantiates SDK v1 <c>AWSCredentialsProvider</c> classes; 3.4.x moved to SDK v2 and accepts only v2
    /// <c>AwsCredentialsProvider</c> classes (its CredentialProviderListFactory remaps a few v1 names, not the
    /// web-identity one; see hadoop-aws' aws_sdk_upgrade.md).
    /// </summary>
    public string WebIdentityProvider => Sdk == AwsSdkGeneration.V1
        ? "com.amazonaws.auth.WebIdentityTokenCredentialsProvider"
        : "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider";

    /// <summary>
    /// The provider reading <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c> from the environment, in the SDK
    /// generation of this hadoop-aws: SDK v1's <c>com.amazonaws.auth.EnvironmentVariableCredentialsProvider</c> for
    /// 3.3.x, SDK v2's <c>software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider</c> for 3.4.x
    /// (the v1 name is only remapped by 3.4's CredentialProviderListFactory; naming the v2 class needs no remapping).
    /// </summary>
    public string EnvironmentProvider => Sdk == AwsSdkGeneration.V1
        ? "com.amazonaws.auth.EnvironmentVariableCredentialsProvider"
        : "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider";
}
