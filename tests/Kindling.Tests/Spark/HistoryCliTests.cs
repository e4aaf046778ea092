using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using k8s.Models;
using Kindling.Operations.Spark;
using Kindling.Spark;
using Kindling.Testing.Processes;
using Kindling.Tests.Cli;

namespace Kindling.Tests.Spark;

/// <summary>
/// Finished applications against moto's S3 and the fake API server: the archived driver log once the pods are
/// gone, and the History Server's REST answer read through the API server's service proxy.
/// </summary>
public sealed class HistoryCliTests
{
    private const string Bucket = "analytics-data";

    // The SDK sends eu-west-1's legacy "EU" location constraint, which moto refuses; any other region will do.
    private const string S3Region = "us-west-2";

    [Fact]
    public async Task Logs_of_an_app_whose_pods_were_deleted_come_from_the_persisted_driver_log()
    {
        await using var moto = await MotoServer.StartAsync();
        await using var cluster = await FakeSparkCluster.StartAsync();
        WriteConfig(cluster, moto);
        var submitted = await cluster.CliAsync("submit", "--name", "gone", "local:///opt/app.py");
        submitted.ExitCode.Should().Be(0, submitted.ToString());
        var appId = cluster.OnlyAppId();
        cluster.Kube.Objects.Delete<V1Pod>(FakeSparkCluster.Ns, cluster.DriverPod(appId).Metadata.Name);

        // Where DriverLogger writes it: <spark.driver.log.dfsDir>/<app id>_driver.log, dfsDir defaulting beside the event logs.
        using var s3 = Client(moto);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, BucketRegionName = S3Region });
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = $"spark-driver-logs/kindling/{appId}_driver.log",
            ContentBody = "26/11/27 04:00:00.000 main INFO SparkContext: Running Spark version 3.5.5\n26/11/27 04:00:09.000 main ERROR Job failed: boom\n",
        });

        var logs = await CliHarness.RunAsync(Run(cluster, moto), "logs", appId);
        var tail = await CliHarness.RunAsync(Run(cluster, moto), "logs", appId, "--tail", "1");

        logs.ExitCode.Should().Be(0, logs.ToString());
        logs.Stdout.Should().Contain("Running Spark version 3.5.5").And.Contain("ERROR Job failed: boom");
        logs.Stderr.Should().Contain($"from the archive s3a://{Bucket}/spark-driver-logs/kindling/{appId}_driver.log").And.Contain("driver pod is gone");
        tail.Stdout.Trim().Should().EndWith("ERROR Job failed: boom").And.NotContain("Running Spark version");

        var missing = await CliHarness.RunAsync(Run(cluster, moto), "logs", "spark-00000000000000000000000000000000");
        missing.ExitCode.Should().Be(2, missing.ToString());
        missing.Stderr.Should().Contain("no persisted driver log");
    }

    [Fact]
    public async Task Apps_all_merges_finished_apps_from_the_history_server_with_live_ones_through_the_service_proxy()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        File.WriteAllText(cluster.Dir.File("kindling.yaml"), $"aws:\n  s3Buckets: [{Bucket}]\n");
        var submitted = await cluster.CliAsync("submit", "--name", "live", "local:///opt/app.py");
        submitted.ExitCode.Should().Be(0, submitted.ToString());
        var liveId = cluster.OnlyAppId();
        var driver = cluster.DriverPod(liveId).Metadata.Name;
        cluster.Kube.Pods.Running(FakeSparkCluster.Ns, driver);
        const string finishedId = "spark-0a1b2c3d4e5f60718293a4b5c6d7e8f9";

        var applications = "/api/v1/applications";
        var finishedExecutors = $"/api/v1/applications/{finishedId}/allexecutors";
        var liveExecutors = $"/api/v1/applications/{liveId}/executors";
        using var backend = new RestBackend(path =>
            path == applications ? $$"""
                [{"id":"{{finishedId}}","name":"nightly","attempts":[{"startTimeEpoch":1764200000000,"endTimeEpoch":1764200090000,"duration":90000,"sparkUser":"bob","completed":true}]},
                 {"id":"{{liveId}}","name":"live","attempts":[{"startTimeEpoch":1764210000000,"endTimeEpoch":-1,"duration":0,"sparkUser":"tester","completed":false}]}]
                """
            : path == finishedExecutors ? """
                [{"id":"driver","isActive":true},
                 {"id":"1","isActive":false,"completedTasks":40,"removeReason":"The executor with id 1 exited with exit code 137(SIGKILL, possible container OOM).\n The API gave the following brief reason: OOMKilled"},
                 {"id":"2","isActive":true,"completedTasks":60}]
                """
            : path == liveExecutors ? """
                [{"id":"driver","isActive":true},{"id":"1","isActive":true,"activeTasks":3,"completedTasks":7,"failedTasks":1}]
                """
            : null);
        var historyPod = AddHistoryServer(cluster);
        cluster.Kube.PortForward.Map(FakeSparkCluster.Ns, historyPod, SparkHistoryServer.Port, backend.EndPoint);
        cluster.Kube.PortForward.Map(FakeSparkCluster.Ns, driver, 4040, backend.EndPoint);

        var json = await cluster.CliAsync("apps", "--all", "-o", "json");
        var wide = await cluster.CliAsync("apps", "-o", "wide");

        json.ExitCode.Should().Be(0, json.ToString());
        using var doc = JsonDocument.Parse(json.Stdout);
        var rows = doc.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("appId").GetString()!);
        rows.Keys.Should().BeEquivalentTo(finishedId, liveId);
        rows[finishedId].GetProperty("state").GetString().Should().Be("Completed");
        rows[finishedId].GetProperty("source").GetString().Should().Be("history");
        rows[finishedId].GetProperty("executors").GetInt32().Should().Be(2);
        rows[finishedId].GetProperty("submitter").GetString().Should().Be("bob");
        rows[finishedId].GetProperty("durationSeconds").GetInt64().Should().Be(90);
        rows[finishedId].GetProperty("reason").GetString().Should().Contain("exit code 137").And.Contain("OOMKilled");
        rows[liveId].GetProperty("state").GetString().Should().Be("Running");
        rows[liveId].GetProperty("source").GetString().Should().Be("cluster");
        rows[liveId].GetProperty("submitter").GetString().Should().Be("tester", "the History Server's incomplete attempt names the submitter");

        wide.ExitCode.Should().Be(0, wide.ToString());
        var line = wide.Stdout.Split('\n').Single(l => l.Contains(liveId, StringComparison.Ordinal));
        wide.Stdout.Should().Contain("ACTIVE").And.Contain("FAILED");
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4..8].Should().Equal("1", "3", "7", "1");

        // Read through the API server's service proxy, never through a port-forward.
        cluster.Kube.PortForward.Sessions.Should().Be(0);
        cluster.Kube.Requests.All.Should().Contain(r => r.Subresource == "proxy" && r.Name == $"kindling-history:{SparkHistoryServer.Port}");
    }

    [Fact]
    public async Task Apps_all_without_history_says_how_to_turn_it_on_and_an_unready_server_is_named()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();

        var off = await cluster.CliAsync("apps", "--all");
        File.WriteAllText(cluster.Dir.File("kindling.yaml"), $"aws:\n  s3Buckets: [{Bucket}]\n");
        var down = await cluster.CliAsync("apps", "--all");

        off.ExitCode.Should().Be(1, off.ToString());
        off.Stderr.Should().Contain("aws.s3Buckets").And.Contain("history.eventLogDir");
        down.ExitCode.Should().Be(1, down.ToString());
        down.Stderr.Should().Contain("History Server").And.Contain("kindling up");
    }

    [Fact]
    public async Task Up_creates_the_log_directories_spark_requires_once_in_moto_s3()
    {
        await using var moto = await MotoServer.StartAsync();
        using var s3 = Client(moto);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, BucketRegionName = S3Region });
        var spec = new Kindling.Configuration.EnvironmentSpec { Aws = new Kindling.Configuration.AwsSpec { Region = S3Region, Endpoint = moto.Endpoint, S3Buckets = [Bucket] } };
        var credentials = new BasicAWSCredentials(MotoServer.ClientEnvironment["AWS_ACCESS_KEY_ID"], MotoServer.ClientEnvironment["AWS_SECRET_ACCESS_KEY"]);
        var first = new List<Kindling.ProgressEvent>();
        var second = new List<Kindling.ProgressEvent>();

        await Kindling.Operations.HistoryStorage.EnsureDirectoriesAsync(spec, credentials, new SyncProgress(first), CancellationToken.None);
        await Kindling.Operations.HistoryStorage.EnsureDirectoriesAsync(spec, credentials, new SyncProgress(second), CancellationToken.None);

        var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket })).S3Objects.Select(o => o.Key);
        keys.Should().BeEquivalentTo("spark-events/kindling/", "spark-driver-logs/kindling/");
        first.Should().OnlyContain(e => e.Status == Kindling.ProgressStatus.Changed);
        second.Should().OnlyContain(e => e.Status == Kindling.ProgressStatus.Unchanged);
    }

    private sealed class SyncProgress(List<Kindling.ProgressEvent> events) : IProgress<Kindling.ProgressEvent>
    {
        public void Report(Kindling.ProgressEvent value) => events.Add(value);
    }

    private static string AddHistoryServer(FakeSparkCluster cluster)
    {
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "spark-history-server", ["app.kubernetes.io/instance"] = "kindling", ["app.kubernetes.io/component"] = "history" };
        cluster.Kube.Objects.Create(new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta { Name = "kindling-history" },
            Spec = new V1ServiceSpec { Selector = labels, Ports = [new V1ServicePort { Name = "http", Port = SparkHistoryServer.Port, TargetPort = "http" }] },
        }, FakeSparkCluster.Ns);
        cluster.Kube.Objects.Create(new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "kindling-history-5d4c7b9f8-abcde", Labels = labels },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "history-server", Image = "spark", Ports = [new V1ContainerPort { Name = "http", ContainerPort = SparkHistoryServer.Port }] }] },
        }, FakeSparkCluster.Ns);
        cluster.Kube.Pods.Running(FakeSparkCluster.Ns, "kindling-history-5d4c7b9f8-abcde");
        return "kindling-history-5d4c7b9f8-abcde";
    }

    private static void WriteConfig(FakeSparkCluster cluster, MotoServer moto) =>
        File.WriteAllText(cluster.Dir.File("kindling.yaml"), $"aws:\n  region: {S3Region}\n  endpoint: {moto.Endpoint}\n  s3Buckets: [{Bucket}]\n  availabilityZones:\n" +
            "    - {name: us-west-2a, publicSubnet: 10.0.0.0/20, privateSubnet: 10.0.48.0/20}\n" +
            "    - {name: us-west-2b, publicSubnet: 10.0.16.0/20, privateSubnet: 10.0.64.0/20}\n" +
            "    - {name: us-west-2c, publicSubnet: 10.0.32.0/20, privateSubnet: 10.0.80.0/20}\n");

    private static CliRun Run(FakeSparkCluster cluster, MotoServer moto)
    {
        var env = new Dictionary<string, string?>(cluster.Run.Environment);
        foreach (var (key, value) in MotoServer.ClientEnvironment) env[key] = value;
        return cluster.Run with { Environment = env };
    }

    private static IAmazonS3 Client(MotoServer moto) =>
        S3Uploader.CreateClient(S3Region, moto.Endpoint,
            new BasicAWSCredentials(MotoServer.ClientEnvironment["AWS_ACCESS_KEY_ID"], MotoServer.ClientEnvironment["AWS_SECRET_ACCESS_KEY"]));

    /// <summary>A tiny HTTP server standing in for a pod's REST API: GET path → JSON body, else 404.</summary>
    private sealed class RestBackend : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();

        public RestBackend(Func<string, string?> answer)
        {
            listener.Start();
            _ = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try { client = await listener.AcceptTcpClientAsync(stop.Token); }
                    catch (OperationCanceledException) { return; }
                    catch (ObjectDisposedException) { return; }
                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            var stream = client.GetStream();
                            var reader = new StreamReader(stream, Encoding.ASCII);
                            var request = await reader.ReadLineAsync() ?? "";
                            while (!string.IsNullOrEmpty(await reader.ReadLineAsync())) { }
                            var path = request.Split(' ') is [_, var p, ..] ? p.Split('?')[0] : "/";
                            var body = answer(Uri.UnescapeDataString(path));
                            var bytes = Encoding.UTF8.GetBytes(body ?? "{\"message\":\"not found\"}");
                            var head = $"HTTP/1.1 {(body is null ? "404 Not Found" : "200 OK")}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                            await stream.WriteAsync(bytes);
                        }
                    });
                }
            });
        }

        public EndPoint EndPoint => listener.LocalEndpoint;

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
