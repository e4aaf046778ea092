using System.Text.Json;
using System.Text.Json.Serialization;

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

    /// <summary>IAM role of the History Server's ServiceAccount (IRSA); null without history or before it existed.</summary>
    public string? HistoryRoleArn { get; init; }
}

/// <summary>
/// Kindling's local state (<c>.kindling/state.json</c> beside the config): the generated Jupyter token and the
/// Terraform outputs. It holds a secret, so the file is private to the user and never printed.
/// </summary>
public sealed record LocalState
{
    /// <summary>The Jupyter login token: 32 random bytes, hex. Created once by <c>render</c>.</summary>
    public string? JupyterToken { get; init; }

    /// <summary>Outputs saved by <c>infra apply</c> / <c>infra output</c>.</summary>
    public TerraformOutputs? Terraform { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"LocalState {{ JupyterToken = {(JupyterToken is null ? "null" : "<redacted>")}, Terraform = {Terraform} }}";
}

/// <summary>Reads and writes <see cref="LocalState"/> atomically, with owner-only permissions.</summary>
public sealed class LocalStateStore(string stateDirectory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

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
            return JsonSerializer.Deserialize<LocalState>(File.ReadAllText(FilePath), Json) ?? new LocalState();
        }
        catch (JsonException e)
        {
            throw new KindlingException($"{FilePath} is corrupt ({e.Message}); fix or delete it (a new Jupyter token will be generated)", e);
        }
    }

    /// <summary>Writes the state through a temporary file and a rename, so an interrupted write never corrupts it.</summary>
    public void Save(LocalState state)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temp = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, state, Json);
        }
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
