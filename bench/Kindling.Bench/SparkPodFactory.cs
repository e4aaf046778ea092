using k8s.Models;
using Kindling.Spark;

namespace Kindling.Bench;

/// <summary>Synthetic driver and executor pods, shaped as Spark creates them.</summary>
internal static class SparkPodFactory
{
    public static V1Pod Driver(int app, string phase = "Running", bool running = true) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = $"app-{app}-driver",
            NamespaceProperty = "kindling",
            Uid = $"uid-driver-{app}",
            CreationTimestamp = new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc).AddSeconds(app),
            Labels = new Dictionary<string, string>
            {
                [SparkConventions.AppIdLabel] = AppId(app),
                [SparkConventions.RoleLabel] = SparkConventions.DriverRole,
                [SparkConventions.AppNameLabel] = $"app-{app}",
            },
            Annotations = new Dictionary<string, string> { [SparkConventions.ExecutorsRequestedAnnotation] = "2" },
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = SparkConventions.DriverContainerName, Image = "spark" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = SparkConventions.DriverContainerName, Image = "spark", ImageID = "", Ready = running, RestartCount = 0,
                    State = running ? new V1ContainerState { Running = new V1ContainerStateRunning() } : new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } },
                },
            ],
        },
    };

    public static V1Pod Executor(int app, int id, string phase = "Running") => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = $"app-{app}-exec-{id}",
            NamespaceProperty = "kindling",
            Uid = $"uid-exec-{app}-{id}",
            Labels = new Dictionary<string, string>
            {
                [SparkConventions.AppIdLabel] = AppId(app),
                [SparkConventions.RoleLabel] = SparkConventions.ExecutorRole,
                [SparkConventions.ExecutorIdLabel] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = $"app-{app}-driver", Uid = $"uid-driver-{app}", Controller = true }],
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = SparkConventions.ExecutorContainerName, Image = "spark" }] },
        Status = new V1PodStatus { Phase = phase },
    };

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
}
