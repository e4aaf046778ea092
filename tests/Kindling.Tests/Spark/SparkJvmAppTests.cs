using Kindling.Operations.Spark;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary>
/// §1 of issue 9: the primary jar of a JVM application reaches the executors. Spark's first spark-submit appends
/// it to spark.jars (SparkSubmit.prepareSubmitEnvironment) and, for a local jar, passes spark-internal as the
/// resource (DriverCommandFeatureStep.configureForJava); from Spark 4 (SPARK-47495) the driver's own spark-submit
/// no longer adds it, so Kindling, standing in for the first spark-submit, must write it for both versions.
/// </summary>
public sealed class SparkJvmAppTests
{
    private static SparkSubmitTarget TargetFor(string sparkVersion) => SparkFixtures.Target with
    {
        SparkVersion = sparkVersion,
        Image = $"123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark:{sparkVersion}-abc123",
    };

    private static SparkSubmission Build(SparkApplicationSpec spec, string sparkVersion, string dir, string? uploadPath = null)
    {
        var ids = SparkFixtures.Ids(5).Next();
        var shipping = SparkFileShipping.Plan(spec, ids, uploadPath, p => Path.GetFullPath(p, dir));
        return SparkSubmission.Build(new SparkSubmissionInputs(spec, TargetFor(sparkVersion), ids, shipping.Sources));
    }

    [Theory]
    [InlineData("3.5.5")]
    [InlineData("4.0.1")]
    public void A_shipped_jar_is_spark_internal_on_the_command_line_and_served_by_the_driver(string sparkVersion)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("app.jar"), [0x50, 0x4B, 0x03, 0x04, 0x00, 0xFF]);
        File.WriteAllBytes(dir.File("lib.jar"), [0x50, 0x4B, 0x03, 0x04, 0x01, 0xFE]);
        var spec = new SparkApplicationSpec
        {
            Resource = "app.jar",
            MainClass = "com.example.Main",
            Name = "orders",
            Arguments = ["2026-11-24"],
            Jars = ["lib.jar", "s3a://libs/common.jar"],
            Packages = ["org.apache.spark:spark-avro_2.12:3.5.5"],
        };

        var submission = Build(spec, sparkVersion, dir.Path);

        var args = submission.DriverPod.Spec.Containers.Single().Args;
        args.Should().ContainInOrder("--class", "com.example.Main", "spark-internal", "2026-11-24");
        submission.Conf[SparkConfKeys.Jars].Should().Be("file:///opt/kindling/app/lib.jar,file:///opt/kindling/app/app.jar,s3a://libs/common.jar");
        submission.FilesConfigMap!.BinaryData.Keys.Should().BeEquivalentTo("app.jar", "lib.jar");
        var owned = submission.OwnedBy(SparkFixtures.Created(submission.DriverPod));
        Golden.Match($"spark/jvm-shipped-{sparkVersion[..3]}.yaml", submission.ToYaml(owned.All));
    }

    [Theory]
    [InlineData("3.5.5", "local:///opt/spark/examples/jars/spark-examples.jar")]
    [InlineData("3.5.5", "s3a://jobs/app.jar")]
    [InlineData("3.5.5", "https://repo.example.com/app.jar")]
    [InlineData("4.0.1", "local:///opt/spark/examples/jars/spark-examples.jar")]
    [InlineData("4.0.1", "s3a://jobs/app.jar")]
    [InlineData("4.0.1", "https://repo.example.com/app.jar")]
    public void A_remote_jar_is_the_resource_and_the_last_entry_of_spark_jars(string sparkVersion, string uri)
    {
        using var dir = new TempDir();
        var spec = new SparkApplicationSpec { Resource = uri, MainClass = "a.Main", Jars = ["s3a://libs/x.jar"] };

        var submission = Build(spec, sparkVersion, dir.Path);

        submission.DriverPod.Spec.Containers.Single().Args.Should().ContainInOrder("--class", "a.Main", uri);
        submission.Conf[SparkConfKeys.Jars].Should().Be($"s3a://libs/x.jar,{uri}");
        submission.FilesConfigMap.Should().BeNull();
    }

    [Fact]
    public void Remote_jar_goldens_pin_both_versions()
    {
        foreach (var version in new[] { "3.5.5", "4.0.1" })
        {
            using var dir = new TempDir();
            var spec = new SparkApplicationSpec { Resource = "s3a://jobs/etl.jar", MainClass = "com.example.Etl", Arguments = ["--day", "1"] };
            var submission = Build(spec, version, dir.Path);
            Golden.Match($"spark/jvm-remote-{version[..3]}.yaml", submission.ToYaml(submission.OwnedBy(SparkFixtures.Created(submission.DriverPod)).All));
        }
    }

    [Fact]
    public void A_large_jar_is_uploaded_each_file_to_its_own_spark_upload_directory()
    {
        using var dir = new TempDir();
        var big = new byte[1100 * 1024];
        new Random(1).NextBytes(big);
        File.WriteAllBytes(dir.File("app.jar"), big);
        dir.Write("lookup.csv", "a,b\n");
        var spec = new SparkApplicationSpec { Resource = "app.jar", MainClass = "a.Main", Files = ["lookup.csv"] };
        var ids = SparkFixtures.Ids(5).Next();

        var shipping = SparkFileShipping.Plan(spec, ids, "s3a://jobs/uploads/", p => Path.GetFullPath(p, dir.Path));
        var submission = SparkSubmission.Build(new SparkSubmissionInputs(spec, SparkFixtures.Target, ids, shipping.Sources));

        shipping.Uploads.Select(u => u.Key).Should().Equal(
            $"uploads/spark-upload-{ids.UploadDir(0)}/app.jar",
            $"uploads/spark-upload-{ids.UploadDir(1)}/lookup.csv");
        ids.UploadDir(1).Should().MatchRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$").And.NotBe(ids.UploadDir(0));
        submission.DriverPod.Spec.Containers.Single().Args.Should().Contain("spark-internal");
        submission.Conf[SparkConfKeys.Jars].Should().Be($"s3a://jobs/uploads/spark-upload-{ids.UploadDir(0)}/app.jar");
        submission.Conf[SparkConfKeys.Files].Should().Be($"s3a://jobs/uploads/spark-upload-{ids.UploadDir(1)}/lookup.csv");
        submission.FilesConfigMap.Should().BeNull();
    }

    [Fact]
    public void Java_reads_the_generated_spark_properties_back_unchanged()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("app.jar"), [0x50, 0x4B, 0x03, 0x04]);
        dir.Write("settings.conf", "x=1\n");
        var spec = new SparkApplicationSpec
        {
            Resource = "app.jar",
            MainClass = "com.example.Main",
            Jars = ["https://repo.example.com/a b.jar"],
            Files = ["settings.conf"],
            Archives = ["s3a://envs/pyenv.tar.gz#environment"],
            Packages = ["org.postgresql:postgresql:42.7.4", "com.example/lib:1.0"],
            Repositories = ["https://repo.example.com/maven2"],
            ExcludePackages = ["com.google.guava:guava"],
            DriverJavaOptions = "-Dlog4j.configurationFile=file:/opt/log4j2.properties -Dgreeting=\"hello world\" -Dx=a:b#c!",
            Conf = new Dictionary<string, string> { ["spark.sql.warehouse.dir"] = "s3a://wh/ünïcode path" },
        };
        var submission = Build(spec, "4.0.1", dir.Path);
        var properties = dir.Write("spark.properties", submission.ConfConfigMap.Data[SparkConventions.ConfFileName]);

        var read = JavaProperties.Load(properties);

        read.Should().BeEquivalentTo(submission.Conf);
        read[SparkConfKeys.Jars].Should().Be("file:///opt/kindling/app/app.jar,https://repo.example.com/a b.jar");
        read[SparkConfKeys.Files].Should().Be("file:///opt/kindling/app/settings.conf");
        read[SparkConfKeys.Archives].Should().Be("s3a://envs/pyenv.tar.gz#environment");
        read[SparkConfKeys.JarsPackages].Should().Be("org.postgresql:postgresql:42.7.4,com.example/lib:1.0");
        read[SparkConfKeys.JarsRepositories].Should().Be("https://repo.example.com/maven2");
        read[SparkConfKeys.JarsExcludes].Should().Be("com.google.guava:guava");
        read[SparkConfKeys.DriverExtraJavaOptions].Should().Be(spec.DriverJavaOptions);
    }
}
