using System.Text.Json;
using System.Text.Json.Serialization;
using Kindling.Json;

namespace Kindling.Configuration;

/// <summary>What <c>terraform output</c> gave Kindling after <c>infra apply</c>.</summary>
public sealed record TerraformOutputs
{
    /// <summary>ECR repository URL for the spark image.</summary>
    public required string SparkRepositoryUrl { get; init; }

    /// <summary>ECR repository URL for the jupyter image.</summary>
    public required string JupyterRepositoryUrl { get; init; }

    /// <summary>EKS cluster name.</summary>
    public required string ClusterName { get; init; }

    /// <summary>EKS API endpoint.</summary>
    public required string ClusterEndpoint { get; init; }

    /// <summary>Base64 cluster CA certificate.</summary>
    public required string ClusterCertificateAuthority { get; init; }

    /// <summary>
    /// IAM role of the Spark ServiceAccount (IRSA). Null in state saved before Kindling created the role; the
    /// ServiceAccount is then left unannotated until the next <c>infra apply</c>.
    /// </summary>
    public string? SparkRoleArn { get; init; }

    /// <summary>
    /// IAM role of the Cluster Autoscaler's ServiceAccount (IRSA). Null in state saved before Kindling created it;
    /// the autoscaler is then not rendered until the next <c>infra apply</c>.
    /// </summary>
    public string? ClusterAutoscalerRoleArn { get; init; }

    /// <summary>IAM role of the History Server's ServiceAccount (IRSA); null without history or before it existed.</summary>
    public string? HistoryRoleArn { get; init; }
}

/// <summary>
/// Kindling's local state (<c>.kindling/state.json</c> beside the config): the Terraform outputs. It is written
/// private to the user (0600) all the same: outputs name the cluster and its endpoint.
/// </summary>
public sealed record LocalState
{
    /// <summary>
    /// A token older versions kept here. No longer read or written: the token lives only in the cluster's Secret.
    /// Kept so a state file holding one still loads; the next save drops it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? JupyterToken { get; init; }

    /// <summary>Outputs saved by <c>infra apply</c> / <c>infra output</c>.</summary>
    public TerraformOutputs? Terraform { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"LocalState {{ JupyterToken = {(JupyterToken is null ? "null" : "<redacted>")}, Terraform = {Terraform} }}";
}

/// <summary>Reads and writes <see cref="LocalState"/> atomically, with owner-only permissions.</summary>
public sealed class LocalStateStore(string stateDirectory)
{
    /// <summary>The <c>.kindling</c> directory.</summary>
    public string Directory { get; } = stateDirectory;

    /// <summary>The state file.</summary>
    public string FilePath => Path.Combine(Directory, "state.json");

    /// <summary>The state directory for a config file (beside it) or, with built-in defaults, the working directory.</summary>
    public static LocalStateStore For(string? configPath, string workingDirectory) =>
        new(Path.Combine(configPath is null ? workingDirectory : Path.GetDirectoryName(Path.GetFullPath(configPath))!, ".kindling"));

    /// <summary>Reads the state; a missing file is empty state, a corrupt one is an error naming the file.</summary>
    public LocalState Load()
    {
        if (!File.Exists(FilePath)) return new LocalState();
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FilePath), KindlingJson.State.LocalState) ?? new LocalState();
        }
        catch (JsonException e)
        {
            throw new KindlingException($"{FilePath} is corrupt ({e.Message}); fix or delete it ('kindling infra output' writes it again)", e);
        }
    }

    /// <summary>Writes the state through a temporary file and a rename, so an interrupted write never corrupts it.</summary>
    public void Save(LocalState state)
    {
        PrivateDirectory.Create(Directory);
        var temp = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, state with { JupyterToken = null }, KindlingJson.State.LocalState);
        }
        // UnixCreateMode applies only when the file is new: a temp file left by an interrupted run keeps its mode.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, FilePath, overwrite: true);
    }

    /// <summary>Loads the state, applies a change and saves it.</summary>
    public LocalState Update(Func<LocalState, LocalState> change)
    {
        var next = change(Load());
        Save(next);
        return next;
    }
}
