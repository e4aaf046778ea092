using k8s;

namespace Kindling.Cluster;

/// <summary>
/// Which context and API server a set of connection options names, read from the kubeconfig without building a
/// client: opening a connection runs the user's credential plugin (<c>aws eks get-token</c>, gcloud ...), which
/// telling the kind of cluster must not do. It picks the file as <see cref="KubeConnection.Open"/> does
/// (<c>--kubeconfig</c>, else the first file in <c>KUBECONFIG</c> defining the context, else
/// <c>~/.kube/config</c>) and never throws: what cannot be read is null, and the connection reports why when a
/// command needs it.
/// </summary>
public static class KubeconfigPeek
{
    /// <summary>The context and server, or null when there is no readable kubeconfig context.</summary>
    public static (string Context, string Server)? Read(KubeConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var candidates = options.KubeconfigPath is { } explicitPath ? [explicitPath]
            : !string.IsNullOrWhiteSpace(options.KubeconfigVariable)
                ? options.KubeconfigVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                : new[] { Path.Combine(options.HomeDirectory ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config") };
        foreach (var path in candidates)
        {
            if (InputFile.Problem(path, path, "a kubeconfig") is not null) continue;
            try
            {
                var file = KubernetesClientConfiguration.LoadKubeConfig(path);
                var name = options.Context ?? file.CurrentContext;
                var context = file.Contexts?.FirstOrDefault(c => c.Name == name);
                if (context is null) continue;
                var cluster = file.Clusters?.FirstOrDefault(c => c.Name == context.ContextDetails?.Cluster);
                return (name!, cluster?.ClusterEndpoint?.Server ?? "");
            }
            catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException
                                           or YamlDotNet.Core.YamlException or NullReferenceException or InvalidOperationException or FormatException)
            {
                continue;
            }
        }
        return null;
    }
}
