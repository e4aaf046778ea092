using Kindling.Images;

namespace Kindling.Configuration;

/// <summary>
/// Sizes and a platform that fit a laptop cluster, applied only to keys kindling.yaml leaves unset: the EKS
/// defaults (4Gi notebook, 2g executors) do not fit next to Docker on an 8 GiB laptop, and the images must match
/// the laptop's own CPU rather than <c>aws.nodeInstanceType</c>. Pure: what is set and the machine's architecture
/// are inputs.
/// </summary>
public static class LocalClusterDefaults
{
    /// <summary>Executor cores on a laptop cluster.</summary>
    public const int ExecutorCores = 1;

    /// <summary>Executor heap on a laptop cluster.</summary>
    public const string ExecutorMemory = "1g";

    /// <summary>Notebook CPU on a laptop cluster.</summary>
    public const string NotebookCpu = "1";

    /// <summary>Notebook memory on a laptop cluster.</summary>
    public const string NotebookMemory = "2Gi";

    /// <summary>
    /// The spec for a laptop cluster, and what was changed (said in the output); unchanged for any other cluster.
    /// </summary>
    /// <param name="spec">The environment as configured.</param>
    /// <param name="clusterKind">The detected or configured <see cref="ClusterKinds"/> value.</param>
    /// <param name="setKeys">The key paths kindling.yaml sets (<see cref="LoadedConfig.SetKeys"/>).</param>
    /// <param name="platform">The laptop cluster's node platform (<c>linux/arm64</c> on Apple silicon).</param>
    public static (EnvironmentSpec Spec, IReadOnlyList<string> Applied) Apply(EnvironmentSpec spec, string clusterKind, IReadOnlySet<string> setKeys, string platform)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(setKeys);
        if (!ClusterKinds.IsLocal(clusterKind)) return (spec, []);
        var applied = new List<string>();
        bool Unset(string key) => !setKeys.Contains(key);

        var executors = spec.Spark.Executors;
        if (Unset("spark.executors.cores") && executors.Cores != ExecutorCores)
        {
            executors = executors with { Cores = ExecutorCores };
            applied.Add($"spark.executors.cores={ExecutorCores}");
        }
        if (Unset("spark.executors.memory") && executors.Memory != ExecutorMemory)
        {
            executors = executors with { Memory = ExecutorMemory };
            applied.Add($"spark.executors.memory={ExecutorMemory}");
        }
        var notebook = spec.Notebook;
        if (Unset("notebook.cpu") && notebook.Cpu != NotebookCpu)
        {
            notebook = notebook with { Cpu = NotebookCpu };
            applied.Add($"notebook.cpu={NotebookCpu}");
        }
        if (Unset("notebook.memory") && notebook.Memory != NotebookMemory)
        {
            notebook = notebook with { Memory = NotebookMemory };
            applied.Add($"notebook.memory={NotebookMemory}");
        }
        var images = spec.Images;
        if (Unset("images.platform") && images.Platform is null && ImagePlatform.Parse(platform) is { } nodes)
        {
            images = images with { Platform = nodes };
            applied.Add($"images.platform={nodes}");
        }
        return (spec with { Spark = spec.Spark with { Executors = executors }, Notebook = notebook, Images = images }, applied);
    }

    /// <summary>The platform of this machine, which a laptop cluster's nodes share (kind, k3d and minikube run them in its containers or VM).</summary>
    public static string HostPlatform() =>
        System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64
            ? ImagePlatform.Arm64
            : ImagePlatform.Amd64;
}
