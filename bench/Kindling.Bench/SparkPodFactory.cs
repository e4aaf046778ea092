using k8s.Models;
using Kindling.Spark;

namespace Kindling.Bench;

/// <summary>
/// Real-sized driver and executor pods: the driver pod <c>kindling submit</c> builds (full spec: env, volumes,
/// ports, resources, security context, labels and annotations) and executors shaped like it, as Spark's
/// executor builder makes them from the same conf. Statuses are written as a kubelet writes them (conditions,
/// container statuses, IPs, QoS), by the fake API server, which also records managedFields per writer.
/// </summary>
internal static class SparkPodFactory
{
    private static readonly SparkSubmitTarget Target = new()
    {
        Namespace = "kindling", Image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark:3.5.8-ef770a2856bd",
        ServiceAccount = "kindling-spark", SparkVersion = "3.5.8",
    };

    private static readonly SparkApplicationSpec Spec = new()
    {
        Resource = "local:///opt/spark/examples/src/main/python/pi.py", Name = "nightly etl", Executors = 2, ExecutorMemory = "4g",
        Conf = new Dictionary<string, string> { ["spark.sql.shuffle.partitions"] = "200" },
    };

    private static readonly V1Pod Template =
        SparkSubmission.Build(new SparkSubmissionInputs(Spec, Target, SparkIdGenerator.System.Next(), SparkAppSources.AsGiven(Spec))).DriverPod;

    public static V1Pod Driver(int app, string phase = "Running", bool running = true)
    {
        var pod = Copy(Template);
        pod.Metadata.Name = $"app-{app}-driver";
        pod.Metadata.Uid = $"uid-driver-{app}";
        pod.Metadata.CreationTimestamp = new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc).AddSeconds(app);
        pod.Metadata.Labels[SparkConventions.AppIdLabel] = AppId(app);
        pod.Metadata.Labels[SparkConventions.AppNameLabel] = $"app-{app}";
        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        pod.Metadata.Annotations[SparkConventions.ExecutorsRequestedAnnotation] = "2";
        pod.Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = SparkConventions.DriverContainerName, Image = Target.Image, ImageID = "", Ready = running, RestartCount = 0,
                    State = running ? new V1ContainerState { Running = new V1ContainerStateRunning() } : new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } },
                },
            ],
        };
        return pod;
    }

    public static V1Pod Executor(int app, int id, string phase = "Running")
    {
        var pod = Copy(Template);
        pod.Metadata.Name = $"app-{app}-exec-{id}";
        pod.Metadata.Uid = $"uid-exec-{app}-{id}";
        pod.Metadata.CreationTimestamp = new DateTime(2026, 11, 24, 0, 0, 30, DateTimeKind.Utc).AddSeconds(app);
        pod.Metadata.Labels[SparkConventions.AppIdLabel] = AppId(app);
        pod.Metadata.Labels[SparkConventions.AppNameLabel] = $"app-{app}";
        pod.Metadata.Labels[SparkConventions.RoleLabel] = SparkConventions.ExecutorRole;
        pod.Metadata.Labels[SparkConventions.ExecutorIdLabel] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = $"app-{app}-driver", Uid = $"uid-driver-{app}", Controller = true }];
        // Spark's executor pods carry the same image, env, volumes and resources shape; the container is the executor's.
        pod.Spec.Containers[0].Name = SparkConventions.ExecutorContainerName;
        pod.Spec.Containers[0].Args = ["executor"];
        pod.Spec.Hostname = null;
        pod.Status = new V1PodStatus { Phase = phase };
        return pod;
    }

    public static string AppId(int app) => $"spark-{app:x32}";

    /// <summary>1000 applications, each a driver and two executors.</summary>
    public static List<V1Pod> Namespace(int apps)
    {
        var pods = new List<V1Pod>(apps * 3);
        for (var i = 0; i < apps; i++)
        {
            pods.Add(Driver(i));
            pods.Add(Executor(i, 1));
            pods.Add(Executor(i, 2));
        }
        return pods;
    }

    private static V1Pod Copy(V1Pod pod) => k8s.KubernetesJson.Deserialize<V1Pod>(k8s.KubernetesJson.Serialize(pod));
}
