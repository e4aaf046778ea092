using Kindling.Spark;

namespace Kindling.Tests.Spark;

public sealed class SparkValidationTests
{
    [Fact]
    public void Jvm_app_without_class_is_located_at_class()
    {
        var errors = new SparkApplicationSpec { Resource = "app.jar" }.Validate();

        errors.Should().ContainSingle().Which.Path.Should().Be("--class");
    }

    [Fact]
    public void Python_app_needs_no_class()
    {
        var spec = new SparkApplicationSpec { Resource = "jobs/app.py" };

        spec.Validate().Should().BeEmpty();
        spec.IsPython.Should().BeTrue();
        spec.EffectiveName.Should().Be("app.py");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = new SparkApplicationSpec
        {
            Resource = "app.jar",
            Name = "???",
            ExecutorMemory = "lots",
            DriverMemory = "1.5g",
            Executors = -1,
            Conf = new Dictionary<string, string>
            {
                [SparkConfKeys.DriverHost] = "x",
                [SparkConfKeys.ExecutorInstances] = "many",
                ["spark.kubernetes.driver.label.spark-role"] = "x",
            },
        }.Validate();

        errors.Select(e => e.Path).Should().BeEquivalentTo(
            "--class", "--executors", "--executor-memory", "--driver-memory",
            "--conf spark.driver.host", "--conf spark.executor.instances", "--conf spark.kubernetes.driver.label.spark-role", "--name");
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=value")]
    [InlineData(" =value")]
    public void Bad_conf_arguments_are_located_at_conf(string argument)
    {
        var act = () => SparkConfArguments.Parse(["spark.ok=1", argument]);

        act.Should().Throw<InvalidInputException>().Which.Errors.Single().Path.Should().Be("--conf");
    }

    [Fact]
    public void Conf_values_may_contain_equals_and_later_values_win()
    {
        var conf = SparkConfArguments.Parse(["spark.driver.extraJavaOptions=-Da=b", "k=1", "k=2"]);

        conf["spark.driver.extraJavaOptions"].Should().Be("-Da=b");
        conf["k"].Should().Be("2");
    }

    [Theory]
    [InlineData("app.py", SparkResourceKind.LocalFile)]
    [InlineData("/home/a/app.jar", SparkResourceKind.LocalFile)]
    [InlineData("file:///home/a/app.jar", SparkResourceKind.LocalFile)]
    [InlineData(@"C:\jobs\app.jar", SparkResourceKind.LocalFile)]
    [InlineData("local:///opt/app.py", SparkResourceKind.Remote)]
    [InlineData("s3a://bucket/app.jar", SparkResourceKind.Remote)]
    [InlineData("https://example.com/app.py", SparkResourceKind.Remote)]
    public void Classifies_resources(string resource, SparkResourceKind kind) =>
        SparkResource.Classify(resource).Should().Be(kind);
}
