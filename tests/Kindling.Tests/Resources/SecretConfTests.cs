using System.Text;
using k8s;
using k8s.Models;
using Kindling.Configuration;
using Kindling.Resources;
using Kindling.Spark;
using Kindling.Tests.Cli;

namespace Kindling.Tests.Resources;

/// <summary>Issue 10 §2: spark.conf values whose keys match Spark's redaction pattern go into a Secret.</summary>
public sealed class SecretConfTests
{
    private const string SecretValue = "wJalrXUtnFEMI-secret-value";
    private const string AccessKey = "AKIA-access-key-value";

    private static ManifestInputs Inputs()
    {
        var defaults = new EnvironmentSpec();
        return ManifestFixtures.Default() with
        {
            Spec = defaults with
            {
                Spark = defaults.Spark with
                {
                    Conf = new Dictionary<string, string>
                    {
                        ["spark.hadoop.fs.s3a.secret.key"] = SecretValue,
                        ["spark.hadoop.fs.s3a.access.key"] = AccessKey,
                        ["spark.sql.shuffle.partitions"] = "64",
                    },
                },
            },
        };
    }

    [Theory]
    [InlineData("spark.hadoop.fs.s3a.secret.key", true)]
    [InlineData("spark.hadoop.fs.s3a.access.key", true)]
    [InlineData("spark.hadoop.fs.s3a.accesskey", true)]
    [InlineData("spark.ssl.keyPassword", true)]
    [InlineData("spark.some.TOKEN", true)]
    [InlineData("spark.sql.shuffle.partitions", false)]
    [InlineData("spark.hadoop.fs.s3a.aws.credentials.provider", false)]
    public void Keys_are_judged_by_Sparks_default_redaction_regex(string key, bool secret)
    {
        var (plain, secrets) = SparkSecretConf.Split(new Dictionary<string, string> { [key] = "v" });

        secrets.ContainsKey(key).Should().Be(secret);
        plain.ContainsKey(key).Should().Be(!secret);
    }

    [Fact]
    public void Secret_values_reach_the_notebook_only_through_a_Secret()
    {
        var manifests = EnvironmentManifests.Build(Inputs());

        var secret = manifests.Select(m => m.Object).OfType<V1Secret>().Single(s => s.Metadata.Name == "kindling-spark-conf");
        Encoding.UTF8.GetString(secret.Data["spark.hadoop.fs.s3a.secret.key"]).Should().Be(SecretValue);
        Encoding.UTF8.GetString(secret.Data["spark.hadoop.fs.s3a.access.key"]).Should().Be(AccessKey);
        secret.Data.Should().NotContainKey("spark.sql.shuffle.partitions");
        var deployment = manifests.Select(m => m.Object).OfType<V1Deployment>().Single();
        var env = deployment.Spec.Template.Spec.Containers.Single(c => c.Env?.Any(e => e.Name == "SPARK_SECRET_CONF_KEYS") == true).Env;
        KubernetesJson.Serialize(deployment).Should().NotContain(SecretValue).And.NotContain(AccessKey);
        env.Single(e => e.Name == "SPARK_EXTRA_CONF_JSON").Value.Should().Contain("spark.sql.shuffle.partitions").And.NotContain("secret.key");
        env.Where(e => e.Name.StartsWith("SPARK_SECRET_CONF_", StringComparison.Ordinal) && e.ValueFrom is not null)
            .Select(e => e.ValueFrom.SecretKeyRef.Key).Should().BeEquivalentTo(["spark.hadoop.fs.s3a.access.key", "spark.hadoop.fs.s3a.secret.key"]);
        manifests.Where(m => m.Object is not V1Secret).Select(m => KubernetesJson.Serialize(m.Object))
            .Should().OnlyContain(json => !json.Contains(SecretValue) && !json.Contains(AccessKey));
    }

    [Fact]
    public async Task Render_writes_the_conf_secret_file_readable_by_the_owner_only()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("kindling.yaml"), $"spark:\n  conf:\n    spark.hadoop.fs.s3a.secret.key: \"{SecretValue}\"\n");

        var run = await CliHarness.RunAsync(dir.Path, "render");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().NotContain(SecretValue);
        var file = Directory.GetFiles(dir.File("kindling-out/k8s"), "*-secret-kindling-spark-conf.yaml").Single();
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var other in Directory.GetFiles(dir.File("kindling-out"), "*", SearchOption.AllDirectories).Where(f => f != file))
            File.ReadAllText(other).Should().NotContain(SecretValue, other);
    }
}
