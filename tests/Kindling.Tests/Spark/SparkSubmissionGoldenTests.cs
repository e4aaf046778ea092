using System.Text;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

public sealed class SparkSubmissionGoldenTests
{
    [Fact]
    public void Python_app_objects_match_golden()
    {
        var spec = new SparkApplicationSpec
        {
            Resource = "local:///opt/spark/examples/src/main/python/pi.py",
            Name = "Daily ETL",
            Arguments = ["100"],
            Executors = 3,
            ExecutorMemory = "512m",
            Conf = new Dictionary<string, string> { ["spark.sql.shuffle.partitions"] = "64" },
        };
        var submission = SparkSubmission.Build(new SparkSubmissionInputs(spec, SparkFixtures.Target, SparkFixtures.Ids().Next(), SparkAppSources.AsGiven(spec)));
        var owned = submission.OwnedBy(SparkFixtures.Created(submission.DriverPod));

        Golden.Match("spark/python-app.yaml", submission.ToYaml(owned.All));
    }

    [Fact]
    public void Jvm_app_objects_match_golden()
    {
        var spec = new SparkApplicationSpec
        {
            Resource = "s3a://jobs/spark-examples_2.12-3.5.5.jar",
            MainClass = "org.apache.spark.examples.SparkPi",
            Arguments = ["1000", "--verbose"],
            DriverMemory = "2g",
            Conf = new Dictionary<string, string>
            {
                ["spark.kubernetes.driver.limit.cores"] = "2",
                ["spark.kubernetes.driver.annotation.team"] = "data",
            },
        };
        var submission = SparkSubmission.Build(new SparkSubmissionInputs(spec, SparkFixtures.Target, SparkFixtures.Ids(11).Next(), SparkAppSources.AsGiven(spec)));
        var owned = submission.OwnedBy(SparkFixtures.Created(submission.DriverPod));

        Golden.Match("spark/jvm-app.yaml", submission.ToYaml(owned.All));
    }

    [Fact]
    public void Shipped_local_files_are_mounted_read_only_and_referenced_inside_the_pod()
    {
        var spec = new SparkApplicationSpec { Resource = "jobs/app.py", PyFiles = ["lib/helpers.py"] };
        var sources = SparkAppSources.Shipped(
            new ShippedFile("app.py", Encoding.UTF8.GetBytes("print('hi')\n")),
            [new ShippedFile("helpers.py", Encoding.UTF8.GetBytes("X = 1\n"))]);
        var submission = SparkSubmission.Build(new SparkSubmissionInputs(spec, SparkFixtures.Target, SparkFixtures.Ids().Next(), sources));

        var container = submission.DriverPod.Spec.Containers.Single();
        container.Args.Should().ContainInOrder("--class", SparkConventions.PythonRunnerClass, "local:///opt/kindling/app/app.py");
        container.VolumeMounts.Should().ContainSingle(m => m.MountPath == SparkConventions.ShippedFilesDir && m.ReadOnlyProperty == true);
        submission.Conf[SparkConfKeys.PyFiles].Should().Be("file:///opt/kindling/app/helpers.py");
        submission.FilesConfigMap!.Data.Keys.Should().BeEquivalentTo("app.py", "helpers.py");
        submission.FilesConfigMap.Immutable.Should().BeTrue();
        submission.OwnedBy(SparkFixtures.Created(submission.DriverPod)).All.Should().HaveCount(4)
            .And.OnlyContain(o => o.Metadata.OwnerReferences.Single().Kind == "Pod" && o.Metadata.OwnerReferences.Single().Controller == true);
    }

    [Fact]
    public void Binary_files_go_to_binary_data()
    {
        var spec = new SparkApplicationSpec { Resource = "app.jar", MainClass = "a.B" };
        var jar = new byte[] { 0x50, 0x4B, 0x03, 0x04, 0xFF, 0xFE, 0x00 };
        var sources = SparkAppSources.Shipped(new ShippedFile("app.jar", jar), []);
        var submission = SparkSubmission.Build(new SparkSubmissionInputs(spec, SparkFixtures.Target, SparkFixtures.Ids().Next(), sources));

        submission.FilesConfigMap!.BinaryData["app.jar"].Should().Equal(jar);
        submission.FilesConfigMap.Data.Should().BeNull();
    }

    [Fact]
    public void Conf_file_holds_the_submitter_conf_that_spark_expects()
    {
        var spec = new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "etl" };
        var submission = SparkSubmission.Build(new SparkSubmissionInputs(spec, SparkFixtures.Target, SparkFixtures.Ids().Next(), SparkAppSources.AsGiven(spec)));
        var conf = submission.Conf;

        conf[SparkConfKeys.Master].Should().Be("k8s://https://kubernetes.default.svc");
        conf[SparkConfKeys.DeployMode].Should().Be("cluster");
        conf[SparkConfKeys.Namespace].Should().Be("analytics");
        conf[SparkConfKeys.AppId].Should().Be(submission.Names.AppId).And.MatchRegex("^spark-[0-9a-f]{32}$");
        conf[SparkConfKeys.DriverPodName].Should().Be(submission.DriverPod.Metadata.Name);
        conf[SparkConfKeys.SubmitInDriver].Should().Be("true");
        conf[SparkConfKeys.DriverHost].Should().Be($"{submission.DriverService.Metadata.Name}.analytics.svc");
        conf[SparkConfKeys.DriverPort].Should().Be("7078");
        conf[SparkConfKeys.DriverBlockManagerPort].Should().Be("7079");
        conf[SparkConfKeys.ContainerImage].Should().Be(SparkFixtures.Target.Image);
        conf[SparkConfKeys.DriverServiceAccount].Should().Be("kindling-spark");
        conf[SparkConfKeys.MemoryOverheadFactor].Should().Be("0.4");
        conf["spark.kubernetes.executor.annotation.sidecar.istio.io/inject"].Should().Be("false");
        submission.ConfConfigMap.Data[SparkConventions.ConfFileName].Should().Contain("spark.kubernetes.executor.annotation.sidecar.istio.io/inject=false");
    }

    [Fact]
    public void Explicit_driver_pod_name_is_honoured()
    {
        var spec = new SparkApplicationSpec
        {
            Resource = "local:///opt/app.py",
            Conf = new Dictionary<string, string> { [SparkConfKeys.DriverPodName] = "my-driver" },
        };
        var submission = SparkSubmission.Build(new SparkSubmissionInputs(spec, SparkFixtures.Target, SparkFixtures.Ids().Next(), SparkAppSources.AsGiven(spec)));

        submission.DriverPod.Metadata.Name.Should().Be("my-driver");
    }
}
