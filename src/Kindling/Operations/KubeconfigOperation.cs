using Kindling.Cluster;
using Kindling.Configuration;

namespace Kindling.Operations;

/// <summary>Options of <c>kindling kubeconfig</c>.</summary>
public sealed record KubeconfigOptions
{
    /// <summary>The kubeconfig to write: <c>--kubeconfig</c>, else the first file of <c>KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
    public required string KubeconfigPath { get; init; }
}

/// <summary>What <c>kindling kubeconfig</c> wrote.</summary>
/// <param name="Path">The kubeconfig file.</param>
/// <param name="Context">The context added or updated (now current).</param>
/// <param name="Cluster">EKS cluster name.</param>
/// <param name="Server">API server endpoint.</param>
/// <param name="PreviousContext">The current-context before, if any.</param>
/// <param name="Created">Whether the file was created.</param>
public sealed record KubeconfigResult(string Path, string Context, string Cluster, string Server, string? PreviousContext, bool Created);

/// <summary><c>kindling kubeconfig</c>: writes or merges a context for the EKS cluster from the saved Terraform outputs.</summary>
public static class KubeconfigOperation
{
    /// <exception cref="KindlingException">No outputs saved yet, or the kubeconfig is not one.</exception>
    public static KubeconfigResult Run(EnvironmentContext environment, KubeconfigOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var outputs = environment.State.Terraform
                      ?? throw new KindlingException(
                          $"no Terraform outputs in {environment.StateStore.FilePath}: run 'kindling infra apply' (or 'kindling infra output') first");
        var entry = EksKubeconfigEntry.From(outputs, environment.Spec);
        var path = options.KubeconfigPath;
        var existed = File.Exists(path);
        var (yaml, previous) = EksKubeconfig.Merge(existed ? File.ReadAllText(path) : null, entry, path);
        Write(path, yaml, existed);
        return new KubeconfigResult(path, entry.Name, outputs.ClusterName, outputs.ClusterEndpoint, previous, !existed);
    }

    // Through a temporary file and a rename, so kubectl never reads a half-written file; a new file is private
    // to the user, an existing one keeps its mode.
    private static void Write(string path, string content, bool existed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".kindling.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = existed ? File.GetUnixFileMode(path) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }
        File.Move(temp, path, overwrite: true);
    }
}
