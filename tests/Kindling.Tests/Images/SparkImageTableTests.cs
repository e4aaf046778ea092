using Kindling.Configuration;
using Kindling.Images;
using Kindling.Spark;
using Kindling.Spark.Images;

namespace Kindling.Tests.Images;

/// <summary>The version table against the facts it was built from, and what the Dockerfiles get from it.</summary>
public sealed class SparkImageTableTests
{
    [Theory]
    // Spark release -> Hadoop in its -bin-hadoop3 distribution, hadoop-aws, the SDK bundle that hadoop-aws declares.
    [InlineData("3.5.0", "3.3.4", "com.amazonaws:aws-java-sdk-bundle:1.12.262", AwsSdkGeneration.V1)]
    [InlineData("3.5.8", "3.3.4", "com.amazonaws:aws-java-sdk-bundle:1.12.262", AwsSdkGeneration.V1)]
    [InlineData("4.0.0", "3.4.1", "software.amazon.awssdk:bundle:2.24.6", AwsSdkGeneration.V2)]
    [InlineData("4.0.3", "3.4.1", "software.amazon.awssdk:bundle:2.24.6", AwsSdkGeneration.V2)]
    [InlineData("4.1.0", "3.4.2", "software.amazon.awssdk:bundle:2.29.52", AwsSdkGeneration.V2)]
    [InlineData("4.1.2", "3.4.2", "software.amazon.awssdk:bundle:2.29.52", AwsSdkGeneration.V2)]
    public void Each_release_gets_hadoop_aws_of_its_hadoop_and_the_declared_sdk_bundle(string spark, string hadoop, string bundle, AwsSdkGeneration sdk)
    {
        var connector = SparkImageVariants.LineOf(spark)!.Connector;

        connector.HadoopVersion.Should().Be(hadoop);
        connector.Sdk.Should().Be(sdk);
        connector.HadoopAws.Should().Be(new MavenJar("org.apache.hadoop", "hadoop-aws", hadoop), "hadoop-aws must be exactly the distribution's Hadoop");
        $"{connector.SdkBundle.Group}:{connector.SdkBundle.Artifact}:{connector.SdkBundle.Version}".Should().Be(bundle);

        var spec = Spec(spark);
        var args = DockerfileSet.SparkBuildArgs(spec);
        args["HADOOP_VERSION"].Should().Be(hadoop);
        args["AWS_SDK_BUNDLE"].Should().Be(bundle);
        args["S3A_JARS"].Split(' ').Should().Equal(
            $"org/apache/hadoop/hadoop-aws/{hadoop}/hadoop-aws-{hadoop}.jar",
            $"{connector.SdkBundle.Group.Replace('.', '/')}/{connector.SdkBundle.Artifact}/{connector.SdkBundle.Version}/{connector.SdkBundle.Artifact}-{connector.SdkBundle.Version}.jar");
        args["MAVEN_REPOSITORY"].Should().Be("https://repo1.maven.org/maven2");
    }

    [Theory]
    [InlineData("3.5.8", "com.amazonaws.auth.WebIdentityTokenCredentialsProvider")]
    [InlineData("4.0.1", "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider")]
    [InlineData("4.1.2", "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider")]
    public void The_irsa_credentials_provider_follows_the_sdk_generation_of_the_images_hadoop_aws(string spark, string provider)
    {
        S3aCredentials.WebIdentityProvider(spark).Should().Be(provider);
        S3aCredentials.ProviderFor(Spec(spark), "arn:aws:iam::123456789012:role/kindling-spark").Should().Be(provider);
        (SparkImageVariants.LineOf(spark)!.Connector.Sdk == AwsSdkGeneration.V1).Should().Be(provider.StartsWith("com.amazonaws.", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_release_pins_pandas_and_pyarrow_at_or_above_pysparks_declared_minimums()
    {
        foreach (var line in SparkImageVariants.Lines)
        {
            var python = line.Python;
            Version.Parse(python.Pandas).Should().BeGreaterThanOrEqualTo(Version.Parse(python.MinimumPandas), line.Line);
            Version.Parse(python.Pyarrow).Should().BeGreaterThanOrEqualTo(Version.Parse(python.MinimumPyarrow), line.Line);
            python.Requirements.Should().OnlyContain(r => r.Contains("=="), "every pin is exact, so driver and executors match");
        }
        SparkImageVariants.LineOf("3.5.8")!.Python.MinimumPandas.Should().Be("1.0.5");
        SparkImageVariants.LineOf("4.0.0")!.Python.MinimumPandas.Should().Be("2.0.0");
    }

    [Theory]
    [InlineData("3.5.8", "2.12", 17, "3.5.8-scala2.12-java17-python3-ubuntu", "22.04", "3.10")]
    [InlineData("3.5.8", "2.12", 11, "3.5.8-scala2.12-java11-python3-ubuntu", "22.04", "3.10")]
    [InlineData("3.5.6", "2.12", 11, "3.5.6-scala2.12-java11-python3-ubuntu", "20.04", "3.8")]
    [InlineData("3.5.0", "2.12", 17, "3.5.0-scala2.12-java17-python3-ubuntu", "22.04", "3.10")]
    [InlineData("4.0.3", "2.13", 21, "4.0.3-scala2.13-java21-python3-ubuntu", "22.04", "3.10")]
    [InlineData("4.1.2", "2.13", 17, "4.1.2-scala2.13-java17-python3-ubuntu", "22.04", "3.10")]
    public void Official_variants_carry_the_python_of_their_ubuntu_base(string spark, string scala, int java, string tag, string ubuntu, string python)
    {
        var variant = SparkImageVariants.Find(spark, scala, java)!;

        variant.Tag.Should().Be(tag);
        variant.Ubuntu.Should().Be(ubuntu);
        variant.PythonVersion.Should().Be(python);
    }

    [Theory]
    [InlineData("3.5.8", "2.13", 17)]
    [InlineData("3.5.8", "2.12", 21)]
    [InlineData("4.0.1", "2.12", 17)]
    [InlineData("4.1.0", "2.13", 11)]
    [InlineData("3.4.4", "2.12", 17)]
    [InlineData("4.2.0", "2.13", 21)]
    [InlineData("3.5.08", "2.12", 17)]
    public void Combinations_without_an_official_image_have_no_variant(string spark, string scala, int java) =>
        SparkImageVariants.Find(spark, scala, java).Should().BeNull();

    [Fact]
    public void The_default_is_the_newest_3_5_release_and_a_valid_combination()
    {
        var spark = new EnvironmentSpec().Spark;

        spark.Version.Should().Be(SparkImageVariants.LineOf("3.5.0")!.Patches.Max() is var p ? $"3.5.{p}" : "");
        SparkImageVariants.Find(spark.Version, spark.ScalaVersion, spark.JavaVersion)!.PythonVersion.Should().Be(spark.PythonVersion);
        SpecValidator.Validate(new EnvironmentSpec()).Should().BeEmpty();
    }

    private static EnvironmentSpec Spec(string spark)
    {
        var line = SparkImageVariants.LineOf(spark)!;
        return new EnvironmentSpec { Spark = new SparkSpec { Version = spark, ScalaVersion = line.ScalaVersion, JavaVersion = 17 } };
    }
}
