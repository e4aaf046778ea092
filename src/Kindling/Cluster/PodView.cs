using System.Text.Json.Serialization;
using k8s.Models;

namespace Kindling.Cluster;

/// <summary>
/// The few fields of a Pod that application state is derived from, read straight from the API's JSON by a
/// source-generated reader that skips everything else (spec containers, env, volumes' sources other than
/// ConfigMaps, managedFields, which alone are often half of a real pod's bytes). A watch of thousands of pods then
/// costs one small object graph per pod instead of a full <see cref="V1Pod"/>. Field names follow the
/// Kubernetes API (core/v1 types.go: ObjectMeta, PodSpec, PodStatus, ContainerStatus, ContainerState).
/// </summary>
internal sealed class PodView
{
    public PodViewMeta? Metadata { get; set; }

    public PodViewSpec? Spec { get; set; }

    public PodViewStatus? Status { get; set; }

    /// <summary>
    /// A <see cref="V1Pod"/> holding only these fields, for code written against the official model; it keeps no
    /// reference to anything else the server sent. <paramref name="keepAnnotation"/> chooses which annotations
    /// survive, so a pod carrying large ones (e.g. kubectl's last-applied-configuration) stays small.
    /// </summary>
    public V1Pod ToPod(Func<string, bool>? keepAnnotation = null)
    {
        var meta = Metadata ?? new PodViewMeta();
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = meta.Name,
                NamespaceProperty = meta.Namespace,
                Uid = meta.Uid,
                ResourceVersion = meta.ResourceVersion,
                CreationTimestamp = meta.CreationTimestamp?.UtcDateTime,
                DeletionTimestamp = meta.DeletionTimestamp?.UtcDateTime,
                Labels = meta.Labels,
                Annotations = keepAnnotation is null || meta.Annotations is null
                    ? meta.Annotations
                    : Filter(meta.Annotations, keepAnnotation),
                OwnerReferences = Map(meta.OwnerReferences, o => new V1OwnerReference
                {
                    ApiVersion = o.ApiVersion, Kind = o.Kind, Name = o.Name, Uid = o.Uid, Controller = o.Controller,
                }),
            },
            Spec = Spec is null ? null : new V1PodSpec
            {
                NodeName = Spec.NodeName,
                Containers = [],
                Volumes = ConfigMapVolumes(Spec.Volumes),
            },
            Status = Status is null ? null : new V1PodStatus
            {
                Phase = Status.Phase,
                Reason = Status.Reason,
                Message = Status.Message,
                Conditions = Map(Status.Conditions, c => new V1PodCondition
                {
                    Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message,
                }),
                ContainerStatuses = Map(Status.ContainerStatuses, ToContainerStatus),
            },
        };
    }

    // Plain loops into exactly sized lists: this runs on every watch event the tracker reads.
    private static List<TOut>? Map<TIn, TOut>(List<TIn>? items, Func<TIn, TOut> map)
    {
        if (items is null) return null;
        var mapped = new List<TOut>(items.Count);
        foreach (var item in items) mapped.Add(map(item));
        return mapped;
    }

    private static List<V1Volume>? ConfigMapVolumes(List<PodViewVolume>? volumes)
    {
        if (volumes is null) return null;
        var kept = new List<V1Volume>();
        foreach (var v in volumes)
            if (v.ConfigMap is { } configMap) kept.Add(new V1Volume { Name = v.Name, ConfigMap = new V1ConfigMapVolumeSource { Name = configMap.Name } });
        return kept;
    }

    private static Dictionary<string, string>? Filter(Dictionary<string, string> annotations, Func<string, bool> keep)
    {
        Dictionary<string, string>? kept = null;
        foreach (var (key, value) in annotations)
            if (keep(key)) (kept ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
        return kept;
    }

    private static V1ContainerStatus ToContainerStatus(PodViewContainerStatus s) => new()
    {
        Name = s.Name,
        Ready = s.Ready,
        RestartCount = s.RestartCount,
        Image = "",
        ImageID = "",
        State = s.State is not { } state ? null : new V1ContainerState
        {
            Running = state.Running is { } r ? new V1ContainerStateRunning { StartedAt = r.StartedAt?.UtcDateTime } : null,
            Waiting = state.Waiting is { } w ? new V1ContainerStateWaiting { Reason = w.Reason, Message = w.Message } : null,
            Terminated = state.Terminated is { } t
                ? new V1ContainerStateTerminated { ExitCode = t.ExitCode, Reason = t.Reason, Message = t.Message, FinishedAt = t.FinishedAt?.UtcDateTime }
                : null,
        },
    };
}

/// <summary>ObjectMeta, without managedFields, finalizers and generateName. Times are RFC 3339 (offsets kept, made UTC).</summary>
internal sealed class PodViewMeta
{
    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    public DateTimeOffset? CreationTimestamp { get; set; }

    public DateTimeOffset? DeletionTimestamp { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<PodViewOwner>? OwnerReferences { get; set; }
}

/// <summary>An owner reference: executors point at their driver pod.</summary>
internal sealed class PodViewOwner
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    public bool? Controller { get; set; }
}

/// <summary>The node a pod runs on and its ConfigMap volumes (the only volumes anything here asks about).</summary>
internal sealed class PodViewSpec
{
    public string? NodeName { get; set; }

    public List<PodViewVolume>? Volumes { get; set; }
}

/// <summary>A volume's name and, when it is one, the ConfigMap it mounts.</summary>
internal sealed class PodViewVolume
{
    public string? Name { get; set; }

    public PodViewConfigMapRef? ConfigMap { get; set; }
}

/// <summary>The ConfigMap a volume mounts.</summary>
internal sealed class PodViewConfigMapRef
{
    public string? Name { get; set; }
}

/// <summary>What the kubelet reports: phase, pod-level reason, conditions and container states.</summary>
internal sealed class PodViewStatus
{
    public string? Phase { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public List<PodViewCondition>? Conditions { get; set; }

    public List<PodViewContainerStatus>? ContainerStatuses { get; set; }
}

/// <summary>A pod condition (PodScheduled, Ready ...).</summary>
internal sealed class PodViewCondition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }
}

/// <summary>A container's status, without image ids and resources.</summary>
internal sealed class PodViewContainerStatus
{
    public string? Name { get; set; }

    public bool Ready { get; set; }

    public int RestartCount { get; set; }

    public PodViewContainerState? State { get; set; }
}

/// <summary>Exactly one of running, waiting or terminated is set by the kubelet.</summary>
internal sealed class PodViewContainerState
{
    public PodViewRunning? Running { get; set; }

    public PodViewWaiting? Waiting { get; set; }

    public PodViewTerminated? Terminated { get; set; }
}

/// <summary>A running container.</summary>
internal sealed class PodViewRunning
{
    public DateTimeOffset? StartedAt { get; set; }
}

/// <summary>A waiting container and why (ImagePullBackOff, CreateContainerConfigError ...).</summary>
internal sealed class PodViewWaiting
{
    public string? Reason { get; set; }

    public string? Message { get; set; }
}

/// <summary>A terminated container: its exit code and the kubelet's reason (Completed, Error, OOMKilled).</summary>
internal sealed class PodViewTerminated
{
    public int ExitCode { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>A pod list: its items and the resourceVersion to watch from.</summary>
internal sealed class PodViewList
{
    public PodViewListMeta? Metadata { get; set; }

    public List<PodView>? Items { get; set; }
}

/// <summary>A list's metadata.</summary>
internal sealed class PodViewListMeta
{
    public string? ResourceVersion { get; set; }
}

/// <summary>The Status object an API server sends as an ERROR watch event (e.g. 410 Expired) or an error body.</summary>
internal sealed class StatusView
{
    public string? Kind { get; set; }

    public string? Status { get; set; }

    public string? Message { get; set; }

    public string? Reason { get; set; }

    public int? Code { get; set; }

    /// <summary>The official model, for <see cref="k8s.KubernetesException"/>.</summary>
    public V1Status ToStatus() => new() { Kind = Kind, Status = Status, Message = Message, Reason = Reason, Code = Code };
}

/// <summary>
/// A watch event whose object is a pod, read in one pass. Its "type" is read beforehand
/// (<see cref="PodViews.ParseEvent"/>), so here it is skipped like any field a view does not name.
/// </summary>
internal sealed class PodViewEvent
{
    public PodView? Object { get; set; }
}

/// <summary>Source-generated readers of the views: no reflection, nothing read that the views do not name.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(PodView))]
[JsonSerializable(typeof(PodViewList))]
[JsonSerializable(typeof(PodViewEvent))]
[JsonSerializable(typeof(StatusView))]
internal sealed partial class PodViewJsonContext : JsonSerializerContext;
