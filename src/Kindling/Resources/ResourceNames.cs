using Kindling.Configuration;

namespace Kindling.Resources;

/// <summary>The names of the objects an environment consists of, derived from <see cref="EnvironmentSpec.Name"/>.</summary>
public sealed record ResourceNames(string EnvironmentName)
{
    /// <summary>The ServiceAccount notebooks, drivers and executors run as.</summary>
    public string ServiceAccount => $"{EnvironmentName}-spark";

    /// <summary>The namespaced Role (no ClusterRole anywhere).</summary>
    public string Role => $"{EnvironmentName}-spark";

    /// <summary>The RoleBinding of <see cref="Role"/> to <see cref="ServiceAccount"/>.</summary>
    public string RoleBinding => $"{EnvironmentName}-spark";

    /// <summary>The Secret holding the Jupyter token under key <see cref="TokenKey"/>.</summary>
    public string TokenSecret => $"{EnvironmentName}-jupyter-token";

    /// <summary>Key of the token in <see cref="TokenSecret"/>.</summary>
    public const string TokenKey = "token";

    /// <summary>The notebooks' PersistentVolumeClaim.</summary>
    public string NotebooksClaim => $"{EnvironmentName}-notebooks";

    /// <summary>The Jupyter Deployment.</summary>
    public string JupyterDeployment => $"{EnvironmentName}-jupyter";

    /// <summary>The Jupyter ClusterIP Service.</summary>
    public string JupyterService => $"{EnvironmentName}-jupyter";

    /// <summary>The headless Service executors use to reach the notebook's client-mode driver.</summary>
    public string DriverService => $"{EnvironmentName}-driver";

    /// <summary>The ConfigMap with the executor pod template every notebook session's executors start from.</summary>
    public string ExecutorPodTemplate => $"{EnvironmentName}-executor-pod-template";

    /// <summary>The ConfigMap keeping how submitted applications ended after their driver pods are gone.</summary>
    public string SparkExitRecords => $"{EnvironmentName}-spark-exits";

    /// <summary>The NetworkPolicy that admits executors to the driver ports and the Jupyter port.</summary>
    public string NetworkPolicy => $"{EnvironmentName}-notebook";
}
