using Kindling.Spark;

namespace Kindling.Tests.Spark;

public sealed class SparkMemoryTests
{
    [Theory]
    [InlineData("512m", 512)]
    [InlineData("512M", 512)]
    [InlineData("512mb", 512)]
    [InlineData("2g", 2048)]
    [InlineData("2GB", 2048)]
    [InlineData("1024k", 1)]
    [InlineData("1536kb", 1)]
    [InlineData("1t", 1048576)]
    [InlineData("1048576b", 1)]
    [InlineData("4096", 4096)]
    public void Parses_jvm_memory_strings_to_mib(string value, long mib) =>
        SparkMemory.ParseMiB(value, "--executor-memory").Should().Be(mib);

    [Theory]
    [InlineData("1.5g", "fractional")]
    [InlineData("lots", "not a memory size")]
    [InlineData("12q", "not a memory size")]
    [InlineData("", "not a memory size")]
    [InlineData("-1g", "not a memory size")]
    [InlineData("512k", "less than 1 MiB")]
    [InlineData("99999999999999p", "too large")]
    public void Rejects_bad_memory_with_a_located_error(string value, string expected)
    {
        var act = () => SparkMemory.ParseMiB(value, "--driver-memory");

        var error = act.Should().Throw<InvalidInputException>().Which.Errors.Single();
        error.Path.Should().Be("--driver-memory");
        error.Message.Should().Contain(expected);
    }

    // memory + max(factor x memory, 384Mi); the factor is 0.1 for JVM apps and 0.4 for Python.
    [Theory]
    [InlineData("512m", false, 896)]
    [InlineData("512m", true, 896)]
    [InlineData("1g", false, 1408)]
    [InlineData("1g", true, 1433)]
    [InlineData("2g", false, 2432)]
    [InlineData("2g", true, 2867)]
    [InlineData("4g", false, 4505)]
    [InlineData("8g", true, 11468)]
    public void Pod_memory_table(string memory, bool python, long podMiB)
    {
        var spec = new SparkApplicationSpec
        {
            Resource = python ? "local:///opt/app.py" : "local:///opt/app.jar",
            MainClass = python ? null : "a.B",
            DriverMemory = memory,
            ExecutorMemory = memory,
        };
        var submission = SparkSubmission.Build(new SparkSubmissionInputs(spec, SparkFixtures.Target, SparkFixtures.Ids().Next(), SparkAppSources.AsGiven(spec)));

        submission.Sizes.Driver.PodMemoryMiB.Should().Be(podMiB);
        submission.Sizes.Executor.PodMemoryMiB.Should().Be(podMiB);
        var resources = submission.DriverPod.Spec.Containers.Single().Resources;
        resources.Requests["memory"].ToString().Should().Be($"{podMiB}Mi");
        resources.Limits["memory"].ToString().Should().Be($"{podMiB}Mi");
    }

    [Fact]
    public void Explicit_overhead_and_factor_win()
    {
        var spec = new SparkApplicationSpec
        {
            Resource = "local:///opt/app.py",
            DriverMemory = "1g",
            Conf = new Dictionary<string, string>
            {
                [SparkConfKeys.DriverMemoryOverhead] = "100m",
                [SparkConfKeys.ExecutorMemoryOverheadFactor] = "0.5",
            },
            ExecutorMemory = "2g",
        };
        var sizes = SparkSubmission.Build(new SparkSubmissionInputs(spec, SparkFixtures.Target, SparkFixtures.Ids().Next(), SparkAppSources.AsGiven(spec))).Sizes;

        sizes.Driver.PodMemoryMiB.Should().Be(1124);
        sizes.Executor.PodMemoryMiB.Should().Be(3072);
        sizes.Driver.ToString().Should().Be("1024Mi heap + 100Mi overhead = 1124Mi, cpu 1");
    }
}
