using Kindling.Cluster.Kubeconfig;

namespace Kindling.Cluster;

/// <summary>
/// Which context and API server a set of connection options names, read from the kubeconfig without building a
/// client: opening a connection runs the user's credential plugin (<c>aws eks get-token</c>, gcloud ...), which
/// telling the kind of cluster must not do. It reads the files <see cref="KubeConnection.Open"/> reads
/// (<c>--kubeconfig</c>, else every readable file in <c>KUBECONFIG</c> merged as kubectl merges them, else
/// <c>~/.kube/config</c>) with the same loader, and never throws: what cannot be read is null, and the connection
/// reports why when a command needs it.
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
        var files = candidates.Where(path => InputFile.Problem(path, path, "a kubeconfig") is null).ToList();
        if (files.Count == 0) return null;
        try
        {
            var kubeconfig = KubeconfigLoader.Load(files, "--kubeconfig");
            var name = options.Context ?? kubeconfig.CurrentContext;
            if (name is null || !kubeconfig.Contexts.TryGetValue(name, out var context)) return null;
            var server = context.Cluster is { } clusterName && kubeconfig.Clusters.TryGetValue(clusterName, out var cluster) ? cluster.Server ?? "" : "";
            return (name, server);
        }
        catch (InvalidInputException)
        {
            return null;
        }
    }
}
