using k8s.Models;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary>Builds driver and executor pods in given states, as the API server would report them.</summary>
internal static class SparkPods
{
    public static V1Pod Driver(string appId = "spark-1", string name = "etl-1-driver", string uid = "uid-driver") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "analytics",
            Uid = uid,
            CreationTimestamp = new DateTime(2026, 11, 24, 1, 0, 0, DateTimeKind.Utc),
            Labels = new Dictionary<string, string>
            {
                [SparkConventions.AppIdLabel] = appId,
                [SparkConventions.RoleLabel] = SparkConventions.DriverRole,
                [SparkConventions.AppNameLabel] = "etl",
            },
        },
    };

    public static V1Pod Executor(string appId, string name, V1Pod? owner, string phase = "Running") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "analytics",
            Uid = "uid-" + name,
            CreationTimestamp = new DateTime(2026, 11, 24, 1, 1, 0, DateTimeKind.Utc),
            Labels = new Dictionary<string, string>
            {
                [SparkConventions.AppIdLabel] = appId,
                [SparkConventions.RoleLabel] = SparkConventions.ExecutorRole,
            },
            OwnerReferences = owner is null ? null :
                [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, Controller = true }],
        },
        Status = new V1PodStatus { Phase = phase },
    };

    public static V1Pod Plain(string name, string uid) => new() { Metadata = new V1ObjectMeta { Name = name, Uid = uid } };

    public static V1Pod WithPhase(this V1Pod pod, string phase, params V1PodCondition[] conditions)
    {
        pod.Status ??= new V1PodStatus();
        pod.Status.Phase = phase;
        if (conditions.Length > 0) pod.Status.Conditions = conditions;
        return pod;
    }

    public static V1Pod WithDriverContainer(this V1Pod pod, V1ContainerState state, string container = SparkConventions.DriverContainerName)
    {
        pod.Status ??= new V1PodStatus { Phase = "Pending" };
        pod.Status.ContainerStatuses ??= new List<V1ContainerStatus>();
        pod.Status.ContainerStatuses.Add(new V1ContainerStatus { Name = container, Image = "spark", ImageID = "", Ready = false, RestartCount = 0, State = state });
        return pod;
    }

    public static V1ContainerState Waiting(string reason, string? message = null) => new() { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } };
    public static V1ContainerState Running() => new() { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } };
    public static V1ContainerState Terminated(int exitCode, string reason) => new() { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Reason = reason } };
}
