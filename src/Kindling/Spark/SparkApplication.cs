namespace Kindling.Spark;

/// <summary>Where an application is in its life. See <see cref="SparkApplicationStates"/> for the transitions.</summary>
public enum SparkApplicationState
{
    /// <summary>The driver pod exists but Kubernetes has not reported on it yet.</summary>
    Submitted,

    /// <summary>Waiting to be scheduled or for the driver container to start; <see cref="SparkApplication.Reason"/> says why when it is stuck.</summary>
    Pending,

    /// <summary>The driver container runs.</summary>
    Running,

    /// <summary>The driver container exited with code 0.</summary>
    Succeeded,

    /// <summary>The driver container exited non-zero, was OOMKilled, or the pod failed or was evicted.</summary>
    Failed,
}

/// <summary>One Spark application as seen from its pods.</summary>
/// <param name="AppId">The <c>spark-app-selector</c> label value.</param>
/// <param name="Name">The application name (<c>spark-app-name</c> label, else the driver pod name).</param>
/// <param name="Namespace">The namespace.</param>
/// <param name="DriverPod">The driver pod's name; for client-mode sessions (a notebook) the pod that owns the executors.</param>
/// <param name="State">The derived state.</param>
/// <param name="Reason">Why it is stuck or failed: <c>Unschedulable</c>, <c>ImagePullBackOff</c>, <c>OOMKilled</c>, <c>Error</c>, <c>Evicted</c> ...</param>
/// <param name="Message">Kubernetes' message for <paramref name="Reason"/>, when it gave one.</param>
/// <param name="ExitCode">The driver container's exit code once terminated.</param>
/// <param name="ExecutorsRunning">Executor pods that are running.</param>
/// <param name="ExecutorsRequested">Executors asked for (Kindling's annotation), else the executor pods that exist.</param>
/// <param name="CreatedAt">When the driver pod (or first executor) was created.</param>
/// <param name="ClientMode">True when there is no Spark driver pod: the driver runs elsewhere (a notebook kernel).</param>
public sealed record SparkApplication(
    string AppId,
    string Name,
    string Namespace,
    string? DriverPod,
    SparkApplicationState State,
    string? Reason,
    string? Message,
    int? ExitCode,
    int ExecutorsRunning,
    int ExecutorsRequested,
    DateTimeOffset? CreatedAt,
    bool ClientMode)
{
    /// <summary>The node the driver pod was scheduled on (<c>spec.nodeName</c>); null until scheduled, and for sessions.</summary>
    public string? DriverNode { get; init; }

    /// <summary>
    /// The record Kindling kept of how it ended, when its driver pod is gone (<see cref="SparkExitRecords"/>); null
    /// for an application seen through its pods.
    /// </summary>
    public SparkExitRecord? Recorded { get; init; }

    /// <summary>Whether the application has finished, one way or the other.</summary>
    public bool IsFinished => State is SparkApplicationState.Succeeded or SparkApplicationState.Failed;
}
