using Kindling.Configuration;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary>Submitted applications get the same S3A credentials provider as the notebook when IRSA is set up.</summary>
public sealed class S3aSubmitConfTests
{
    private const string Role = "arn:aws:iam::123456789012:role/kindling-spark";

    [Fact]
    public void With_a_role_the_base_conf_names_the_web_identity_provider()
    {
        var spec = new EnvironmentSpec { Spark = new SparkSpec { Conf = new Dictionary<string, string> { ["spark.sql.shuffle.partitions"] = "64" } } };

        var target = SparkSubmitTarget.For(spec, "img", "me", Role);

        // The base conf also carries the metrics defaults (history's PrometheusServlet); this test is about S3A and spark.conf.
        target.BaseConf.Where(kv => kv.Key.StartsWith("spark.hadoop.", StringComparison.Ordinal) || kv.Key.StartsWith("spark.sql.", StringComparison.Ordinal))
            .Should().BeEquivalentTo(new Dictionary<string, string>
            {
                [S3aCredentials.ProviderKey] = "com.amazonaws.auth.WebIdentityTokenCredentialsProvider",
                ["spark.sql.shuffle.partitions"] = "64",
            });
    }

    [Fact]
    public void Without_a_role_the_base_conf_is_the_configs()
    {
        var spec = new EnvironmentSpec();

        SparkSubmitTarget.For(spec, "img", "me").BaseConf.Keys.Should().NotContain(k => k.StartsWith("spark.hadoop.fs.s3a.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_provider_in_spark_conf_wins()
    {
        var conf = new Dictionary<string, string> { [S3aCredentials.ProviderKey] = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider" };
        var spec = new EnvironmentSpec { Spark = new SparkSpec { Conf = conf } };

        SparkSubmitTarget.For(spec, "img", "me", Role).BaseConf[S3aCredentials.ProviderKey]
            .Should().Be("org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    }
}
