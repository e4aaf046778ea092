using Kindling.Configuration;
using Kindling.Resources;
using Kindling.Tests.Resources;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary>
/// Event-log, driver-log and metrics conf in submissions and notebook sessions, for Spark 3.5 and 4.x, pinned by
/// golden files, plus the rules behind them.
/// </summary>
public sealed class SparkObservabilityGoldenTests
{
    private static EnvironmentSpec WithHistory(string version) => new EnvironmentSpec() with
    {
        Spark = new SparkSpec { Version = version, ScalaVersion = version.StartsWith("4.", StringComparison.Ordinal) ? "2.13" : "2.12" },
        Aws = new AwsSpec { S3Buckets = ["analytics-data"] },
    };

    [Theory]
    [InlineData("3.5.5")]
    [InlineData("4.0.1")]
    public void Submission_objects_with_history_match_golden(string version)
    {
        var spec = WithHistory(version);
        var target = SparkSubmitTarget.For(spec, "registry.example.com/spark:" + version, "alice", "arn:aws:iam::123456789012:role/kindling-spark");
        var app = new SparkApplicationSpec { Resource = "local:///opt/spark/examples/src/main/python/pi.py", Name = "pi" };
        var submission = SparkSubmission.Build(new SparkSubmissionInputs(app, target, SparkFixtures.Ids().Next(), SparkAppSources.AsGiven(app)));

        Golden.Match($"spark/history-submission-{version}.yaml", submission.ToYaml(submission.OwnedBy(SparkFixtures.Created(submission.DriverPod)).All));
    }

    [Theory]
    [InlineData("3.5.5")]
    [InlineData("4.0.1")]
    public void Notebook_session_conf_matches_golden(string version)
    {
        var inputs = new ManifestInputs(WithHistory(version), ManifestFixtures.Images, ManifestFixtures.Token);
        var json = JupyterEnvironment.Build(inputs).Single(e => e.Name == Kindling.Spark.Notebook.NotebookEnvironment.ExtraConf).Value;
        var conf = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;

        Golden.Match($"spark/history-notebook-{version}.properties", SparkProperties.Write(conf));
    }

    [Fact]
    public void Without_a_location_there_is_no_event_log_but_metrics_stay_on()
    {
        var conf = SparkObservability.Conf(new EnvironmentSpec(), clusterModeDriver: true);

        conf.Should().NotContainKey(SparkObservability.EventLogEnabled).And.NotContainKey(SparkObservability.DriverLogPersist);
        conf[SparkObservability.UiPrometheus].Should().Be("true");
        conf["spark.kubernetes.driver.annotation.prometheus.io/path"].Should().Be("/metrics/prometheus");
        HistoryLocations.WhyOff(new EnvironmentSpec()).Should().Contain("aws.s3Buckets").And.Contain("history.eventLogDir");
    }

    [Fact]
    public void User_conf_wins_over_the_defaults()
    {
        var spec = WithHistory("3.5.5") with
        {
            Spark = WithHistory("3.5.5").Spark with { Conf = new Dictionary<string, string> { [SparkObservability.EventLogEnabled] = "false" } },
        };

        SparkSubmitTarget.For(spec, "img", "u").BaseConf[SparkObservability.EventLogEnabled].Should().Be("false");
    }

    [Fact]
    public void Locations_default_beside_each_other_and_follow_an_explicit_event_log_dir()
    {
        HistoryLocations.Of(WithHistory("3.5.5")).Should().Be(new HistoryLocations(
            "s3a://analytics-data/spark-events/kindling", "s3a://analytics-data/spark-driver-logs/kindling"));
        HistoryLocations.Of(new EnvironmentSpec { History = new HistorySpec { EventLogDir = "s3a://b/logs/" } })
            .Should().Be(new HistoryLocations("s3a://b/logs", "s3a://b/logs-driver-logs"));
        HistoryLocations.Of(WithHistory("3.5.5") with { History = new HistorySpec { Enabled = false } }).Should().BeNull();
    }

    [Fact]
    public void The_driver_log_path_is_the_one_DriverLogger_writes()
    {
        // DriverLogger: new Path(rootDir, Utils.sanitizeDirName(appId) + "_driver.log").
        SparkObservability.DriverLogPath("s3a://b/spark-driver-logs/kindling/", "spark-0123abcd")
            .Should().Be("s3a://b/spark-driver-logs/kindling/spark-0123abcd_driver.log");
        SparkObservability.DriverLogPath("s3a://b/d", "spark-application-1700000000000")
            .Should().Be("s3a://b/d/spark-application-1700000000000_driver.log");
    }
}
