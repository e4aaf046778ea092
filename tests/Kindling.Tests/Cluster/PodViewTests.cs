using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Spark;
using static Kindling.Tests.Spark.SparkPods;

namespace Kindling.Tests.Cluster;

public sealed class PodViewTests
{
    /// <summary>Pods in every state the derivation distinguishes, dressed as an API server returns them.</summary>
    public static TheoryData<string> Scenarios => new(Cases.Keys);

    private static readonly Dictionary<string, Func<List<V1Pod>>> Cases = new()
    {
        ["submitted"] = () => [Driver()],
        ["creating"] = () => [Driver().WithPhase("Pending").WithDriverContainer(Waiting("ContainerCreating"))],
        ["unschedulable"] = () => [Driver().WithPhase("Pending",
            new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/3 nodes are available: 3 Insufficient cpu." })],
        ["image pull"] = () => [Driver().WithPhase("Pending").WithDriverContainer(Waiting("ErrImagePull", "pull access denied"))],
        ["config error"] = () => [Driver().WithPhase("Pending").WithDriverContainer(Waiting("CreateContainerConfigError", "secret \"s3\" not found"))],
        ["running with executors"] = () =>
        {
            var driver = Driver().WithPhase("Running").WithDriverContainer(Running());
            driver.Spec = new V1PodSpec { NodeName = "ip-10-0-1-5.eu-west-1.compute.internal", Containers = [] };
            var leaving = Executor("spark-1", "etl-exec-3", driver);
            leaving.Metadata.DeletionTimestamp = new DateTime(2026, 11, 24, 1, 5, 0, DateTimeKind.Utc);
            return [driver, Executor("spark-1", "etl-exec-1", driver), Executor("spark-1", "etl-exec-2", driver, "Pending"), leaving];
        },
        ["sidecar keeps the pod running"] = () =>
        [
            Driver().WithPhase("Running").WithDriverContainer(Running(), "istio-proxy").WithDriverContainer(Terminated(0, "Completed")),
        ],
        ["succeeded"] = () => [Driver().WithPhase("Succeeded").WithDriverContainer(Terminated(0, "Completed"))],
        ["oom killed"] = () =>
        {
            var pod = Driver().WithPhase("Failed").WithDriverContainer(Terminated(137, "OOMKilled"));
            pod.Status.ContainerStatuses[0].State.Terminated.Message = "java.lang.OutOfMemoryError";
            return [pod];
        },
        ["evicted"] = () =>
        {
            var pod = Driver().WithPhase("Failed");
            pod.Status.Reason = "Evicted";
            pod.Status.Message = "The node was low on resource: memory.";
            return [pod];
        },
        ["executors requested"] = () =>
        {
            var driver = Driver().WithPhase("Running").WithDriverContainer(Running());
            driver.Metadata.Annotations = new Dictionary<string, string>
            {
                [SparkConventions.ExecutorsRequestedAnnotation] = "5",
                ["example.com/team"] = "data",
            };
            return [driver, Executor("spark-1", "etl-exec-1", driver)];
        },
        ["notebook session"] = () =>
        [
            Executor("spark-nb", "nb-exec-1", Plain("jupyter-0", "uid-jupyter")),
            Executor("spark-nb", "nb-exec-2", Plain("jupyter-0", "uid-jupyter"), "Pending"),
        ],
        ["two apps"] = () =>
        [
            Driver("spark-a", "a-driver", "uid-a").WithPhase("Running").WithDriverContainer(Running()),
            Driver("spark-b", "b-driver", "uid-b"),
        ],
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void A_pod_read_as_a_view_derives_the_same_application_as_the_full_pod(string scenario)
    {
        var pods = Cases[scenario]().Select(RealSized).ToList();

        var fromViews = pods.Select(p => ReadView(KubernetesJson.Serialize(p)).ToPod(SparkApplicationStates.ReadsAnnotation)).ToList();

        SparkApplicationStates.FromPods(fromViews).Should().Equal(SparkApplicationStates.FromPods(pods));
        fromViews.Select(SparkIncompleteSubmissions.ConfConfigMapOf).Should().Equal(pods.Select(SparkIncompleteSubmissions.ConfConfigMapOf));
    }

    [Fact]
    public void The_projected_pod_keeps_nothing_it_does_not_need()
    {
        var full = RealSized(Driver().WithPhase("Running").WithDriverContainer(Running()));
        full.Metadata.Annotations = new Dictionary<string, string>
        {
            [SparkConventions.ExecutorsRequestedAnnotation] = "2",
            ["kubectl.kubernetes.io/last-applied-configuration"] = new string('x', 20_000),
        };

        var slim = ReadView(KubernetesJson.Serialize(full)).ToPod(SparkApplicationStates.ReadsAnnotation);

        slim.Metadata.ManagedFields.Should().BeNull();
        slim.Metadata.Annotations.Should().Equal(new Dictionary<string, string> { [SparkConventions.ExecutorsRequestedAnnotation] = "2" });
        slim.Spec.Containers.Should().BeEmpty();
        slim.Spec.Volumes.Should().OnlyContain(v => v.ConfigMap != null);
        KubernetesJson.Serialize(slim).Length.Should().BeLessThan(KubernetesJson.Serialize(full).Length / 4);
    }

    [Fact]
    public void A_watch_event_is_read_whichever_of_type_and_object_comes_first()
    {
        var pod = KubernetesJson.Serialize(RealSized(Driver().WithPhase("Running").WithDriverContainer(Running())));

        var typeFirst = PodViews.ParseEvent(Encoding.UTF8.GetBytes($$"""{"type":"MODIFIED","object":{{pod}}}"""));
        var objectFirst = PodViews.ParseEvent(Encoding.UTF8.GetBytes($$"""{"object":{{pod}},"type":"DELETED"}"""));

        typeFirst.Type.Should().Be(WatchEventType.Modified);
        typeFirst.Pod!.Metadata!.Name.Should().Be("etl-1-driver");
        objectFirst.Type.Should().Be(WatchEventType.Deleted);
        objectFirst.Pod!.Status!.ContainerStatuses![0].State!.Running.Should().NotBeNull();
    }

    [Fact]
    public void An_error_event_carries_the_servers_status()
    {
        var parsed = PodViews.ParseEvent("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"""u8);

        parsed.Pod.Should().BeNull();
        parsed.Status!.Code.Should().Be(410);
        parsed.Status.ToStatus().Reason.Should().Be("Expired");
    }

    [Fact]
    public void Events_the_one_pass_reader_does_not_take_are_read_as_before()
    {
        // A null object or an unknown type is no pod to apply; a missing object or an unreadable pod is an error.
        var nullObject = PodViews.ParseEvent("""{"type":"MODIFIED","object":null}"""u8);
        var unknownType = PodViews.ParseEvent("""{"type":"SYNC","object":{"metadata":{"name":"p"}}}"""u8);

        nullObject.Pod.Should().BeNull();
        unknownType.Type.Should().BeNull();
        unknownType.Pod.Should().BeNull();
        FluentActions.Invoking(() => PodViews.ParseEvent("""{"type":"ADDED"}"""u8)).Should().Throw<JsonException>();
        FluentActions.Invoking(() => PodViews.ParseEvent("""{"type":"ADDED","object":{"status":"Failure"}}"""u8)).Should().Throw<JsonException>();
    }

    [Fact]
    public void A_line_that_is_not_an_event_is_a_json_error()
    {
        FluentActions.Invoking(() => PodViews.ParseEvent("""{"type":"ADDED","obj"""u8)).Should().Throw<JsonException>();
        FluentActions.Invoking(() => PodViews.ParseEvent("[1]"u8)).Should().Throw<JsonException>();
    }

    [Fact]
    public async Task Lines_are_split_across_reads_of_any_size()
    {
        var big = new string('a', 200_000);
        var text = $"one\n\n{big}\r\n  \nlast-without-newline";
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(text), chunk: 7);

        var lines = new List<string>();
        await foreach (var line in JsonLines.ReadAsync(stream, CancellationToken.None))
            lines.Add(Encoding.UTF8.GetString(line.Span));

        lines.Should().Equal("one", big + "\r", "last-without-newline");
    }

    private static PodView ReadView(string json) => JsonSerializer.Deserialize(json, PodViewJsonContext.Default.PodView)!;

    /// <summary>What the API server adds to a pod: a full spec, managedFields per writer, a resourceVersion.</summary>
    private static V1Pod RealSized(V1Pod pod)
    {
        pod.Metadata.ResourceVersion = "4711";
        pod.Metadata.CreationTimestamp ??= new DateTime(2026, 11, 24, 1, 0, 0, DateTimeKind.Utc);
        pod.Metadata.ManagedFields =
        [
            new V1ManagedFieldsEntry { Manager = "kindling", Operation = "Update", ApiVersion = "v1", FieldsType = "FieldsV1" },
            new V1ManagedFieldsEntry { Manager = "kubelet", Operation = "Update", ApiVersion = "v1", FieldsType = "FieldsV1", Subresource = "status" },
        ];
        var nodeName = pod.Spec?.NodeName;
        pod.Spec = new V1PodSpec
        {
            NodeName = nodeName,
            ServiceAccountName = "kindling-spark",
            Containers =
            [
                new V1Container
                {
                    Name = SparkConventions.DriverContainerName, Image = "registry/spark:3.5.8",
                    Args = ["driver", "--properties-file", "/opt/spark/conf/spark.properties"],
                    Env = Enumerable.Range(0, 20).Select(i => new V1EnvVar { Name = $"SPARK_ENV_{i}", Value = $"value-{i}" }).ToList(),
                },
            ],
            Volumes =
            [
                new V1Volume { Name = SparkConventions.ConfVolumeName, ConfigMap = new V1ConfigMapVolumeSource { Name = "etl-conf-map" } },
                new V1Volume { Name = "spark-local-dir-1", EmptyDir = new V1EmptyDirVolumeSource() },
            ],
        };
        return pod;
    }

    /// <summary>A stream that returns at most <c>chunk</c> bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
