namespace Kindling.Images;

/// <summary>
/// The labels the Kindling images carry, in one place: <c>kindling doctor</c> reads them (docker image inspect, or
/// the registry's image config) to check the images against kindling.yaml. The Dockerfiles get these names through
/// their <c>@LABEL_*@</c> placeholders, so the names live only here.
/// </summary>
public static class ImageLabels
{
    /// <summary>The Apache Spark release in the image (both images).</summary>
    public const string SparkVersion = "dev.kindling.spark-version";

    /// <summary>Python major.minor of <c>python3</c> (both images; the build fails if it is not this).</summary>
    public const string PythonVersion = "dev.kindling.python-version";

    /// <summary>The Hadoop inside the Spark distribution, which hadoop-aws matches (both images).</summary>
    public const string HadoopVersion = "dev.kindling.hadoop-version";

    /// <summary>Scala binary version of the Spark build (both images).</summary>
    public const string ScalaVersion = "dev.kindling.scala-version";

    /// <summary>Java major version of the base image (both images).</summary>
    public const string JavaVersion = "dev.kindling.java-version";

    /// <summary>The AWS SDK bundle S3A uses, <c>group:artifact:version</c> (both images).</summary>
    public const string AwsSdkBundle = "dev.kindling.aws-sdk-bundle";

    /// <summary>Every label above, by the Dockerfile placeholder that stands for its name.</summary>
    internal static IReadOnlyDictionary<string, string> Placeholders { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["LABEL_AWS_SDK_BUNDLE"] = AwsSdkBundle,
        ["LABEL_HADOOP_VERSION"] = HadoopVersion,
        ["LABEL_JAVA_VERSION"] = JavaVersion,
        ["LABEL_PYTHON_VERSION"] = PythonVersion,
        ["LABEL_SCALA_VERSION"] = ScalaVersion,
        ["LABEL_SPARK_VERSION"] = SparkVersion,
    };
}
