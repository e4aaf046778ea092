using BenchmarkDotNet.Attributes;
using Kindling.Spark;

namespace Kindling.Bench;

/// <summary>Building the driver Pod, ConfigMap and Service: the client-side CPU of a submission.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SubmissionBenchmarks
{
    private static readonly SparkSubmitTarget Target = new()
    {
        Namespace = "kindling", Image = "registry/spark:3.5.5", ServiceAccount = "kindling-spark", SparkVersion = "3.5.5",
    };

    private static readonly SparkApplicationSpec Spec = new()
    {
        Resource = "local:///opt/app.py", Name = "nightly etl", Executors = 4, ExecutorMemory = "4g",
        Conf = new Dictionary<string, string> { ["spark.sql.shuffle.partitions"] = "200" },
    };

    [Benchmark(Description = "build pod + ConfigMap + Service")]
    public SparkSubmission Build() =>
        SparkSubmission.Build(new SparkSubmissionInputs(Spec, Target, SparkIdGenerator.System.Next(), SparkAppSources.AsGiven(Spec)));

    [Benchmark(Description = "build + YAML of all three (dry run)")]
    public string DryRunYaml() => Build().ToYaml();
}
