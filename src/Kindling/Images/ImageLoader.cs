using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Tools;

namespace Kindling.Images;

/// <summary>One command that makes local images available to a laptop cluster's nodes.</summary>
/// <param name="Tool">The executable.</param>
/// <param name="Arguments">Its arguments.</param>
internal sealed record ImageLoadCommand(ExternalTool Tool, IReadOnlyList<string> Arguments);

/// <summary>
/// Makes images built into the local Docker daemon available to a laptop cluster without a registry, as each
/// tool documents it: <c>kind load docker-image IMAGE... --name CLUSTER</c> (kind "Loading an Image Into Your
/// Cluster"), <c>minikube image load IMAGE -p PROFILE</c> (minikube "Pushing images", one image per call) and
/// <c>k3d image import IMAGE... --cluster CLUSTER</c> (k3d "Importing images"). Docker Desktop, OrbStack and
/// Rancher Desktop (with its dockerd engine) run Kubernetes on the same daemon the images were built into, so
/// there is nothing to load; the pods' <c>imagePullPolicy: IfNotPresent</c> (Kindling's, and Spark's default
/// <c>spark.kubernetes.container.image.pullPolicy</c>) then uses them without pulling.
/// </summary>
internal static class ImageLoader
{
    private static readonly ToolVariables Variables = new(
    [
        .. ToolVariables.Basics,
        "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH",
        "KIND_EXPERIMENTAL_PROVIDER", "MINIKUBE_HOME", "KUBECONFIG",
    ]);

    public static ExternalTool Kind { get; } = new("kind", "Install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation).", Variables);

    public static ExternalTool Minikube { get; } = new("minikube", "Install minikube (https://minikube.sigs.k8s.io/docs/start/).", Variables);

    public static ExternalTool K3d { get; } = new("k3d", "Install k3d (https://k3d.io/#installation).", Variables);

    /// <summary>The tool a laptop cluster needs to get images, or null when it shares the build daemon.</summary>
    public static ExternalTool? ToolFor(string clusterKind) => clusterKind switch
    {
        ClusterKinds.Kind => Kind,
        ClusterKinds.Minikube => Minikube,
        ClusterKinds.K3d => K3d,
        _ => null,
    };

    /// <summary>The commands that load <paramref name="references"/> into <paramref name="cluster"/>; empty when its nodes share the daemon.</summary>
    public static IReadOnlyList<ImageLoadCommand> Commands(DetectedCluster cluster, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(references);
        return cluster.Kind switch
        {
            ClusterKinds.Kind => [new(Kind, ["load", "docker-image", .. references, "--name", cluster.Name ?? "kind"])],
            ClusterKinds.Minikube => [.. references.Select(r => new ImageLoadCommand(Minikube, ["image", "load", r, "-p", cluster.Name ?? "minikube"]))],
            ClusterKinds.K3d => [new(K3d, ["image", "import", .. references, "--cluster", cluster.Name ?? "k3s-default"])],
            _ => [],
        };
    }

    /// <summary>Runs <see cref="Commands"/>, one after the other, each reported as progress.</summary>
    /// <exception cref="ExternalToolException">The tool is missing (with how to install it) or failed.</exception>
    public static async Task LoadAsync(ToolEnvironment environment, DetectedCluster cluster, IReadOnlyList<string> references,
        IProgress<ProgressEvent> progress, TimeProvider time, CancellationToken cancellationToken)
    {
        var commands = Commands(cluster, references);
        if (commands.Count == 0)
        {
            progress.Report(new ProgressEvent("images/load", ProgressStatus.Unchanged,
                $"{cluster.Kind} runs on the Docker daemon the images were built into: nothing to load"));
            return;
        }
        foreach (var command in commands)
        {
            var started = time.GetTimestamp();
            var what = $"{command.Tool.Name} {string.Join(' ', command.Arguments)}";
            progress.Report(new ProgressEvent("images/load", ProgressStatus.Started, what));
            var result = await ToolProcess.RunAsync(new ToolRunOptions
            {
                Tool = command.Tool,
                Arguments = command.Arguments,
                Environment = environment,
            }, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                progress.Report(new ProgressEvent("images/load", ProgressStatus.Failed, what, time.GetElapsedTime(started)));
                throw new ExternalToolException(command.Tool.Name, result.ExitCode, result.Tail,
                    $"loading the images into {cluster.Kind} cluster '{cluster.Name}' failed; is the cluster running ('{command.Tool.Name}' lists its clusters)?");
            }
            progress.Report(new ProgressEvent("images/load", ProgressStatus.Done, what, time.GetElapsedTime(started)));
        }
    }
}
