using Kindling.Configuration;
using Kindling.Tools;

namespace Kindling.Terraform;

/// <summary>
/// Kindling's Terraform working directory, <c>.kindling/terraform/</c> beside the config. It persists across runs:
/// terraform's state lives there, so a failed or interrupted apply continues where it stopped.
/// </summary>
internal sealed class InfraWorkspace
{
    /// <summary>The saved plan that apply and destroy execute after showing it.</summary>
    public const string PlanFile = "kindling.tfplan";

    /// <summary>The env var that points <c>terraform init</c> at a local provider mirror.</summary>
    public const string PluginDirVariable = "KINDLING_TF_PLUGIN_DIR";

    private InfraWorkspace(LoadedConfig config, LocalStateStore store, string? pluginDirectory)
    {
        Config = config;
        State = store;
        Directory = Path.Combine(store.Directory, TerraformModule.Folder);
        PluginDirectory = pluginDirectory;
    }

    public LoadedConfig Config { get; }

    public LocalStateStore State { get; }

    /// <summary>The working directory terraform runs in.</summary>
    public string Directory { get; }

    /// <summary><c>init -plugin-dir</c>: <c>KINDLING_TF_PLUGIN_DIR</c>, else <c>terraform.pluginDir</c>, else none.</summary>
    public string? PluginDirectory { get; }

    public static InfraWorkspace For(LoadedConfig config, string workingDirectory, ToolEnvironment environment)
    {
        var store = LocalStateStore.For(config.SourcePath, workingDirectory);
        var configDirectory = config.SourcePath is null ? workingDirectory : Path.GetDirectoryName(config.SourcePath)!;
        var plugins = environment.GetVariable(PluginDirVariable) is { Length: > 0 } fromEnv
            ? Path.GetFullPath(fromEnv, workingDirectory)
            : config.Spec.Terraform.PluginDir is { Length: > 0 } fromConfig
                ? Path.GetFullPath(fromConfig, configDirectory)
                : null;
        return new InfraWorkspace(config, store, plugins);
    }

    /// <summary>Whether terraform has run here before (there is something to plan against or read outputs from).</summary>
    public bool Exists => System.IO.Directory.Exists(Directory);

    /// <summary>
    /// Writes the module for the current config. Other <c>*.tf</c> files are removed: the directory is
    /// Kindling's, and a file left from an older Kindling would otherwise still be part of the module.
    /// </summary>
    public void WriteModule()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var files = TerraformModule.Render(Config.Spec);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file.RelativePath);
            wanted.Add(name);
            var path = Path.Combine(Directory, name);
            if (!File.Exists(path) || File.ReadAllText(path) != file.Content) File.WriteAllText(path, file.Content);
        }
        foreach (var stale in System.IO.Directory.EnumerateFiles(Directory, "*.tf"))
            if (!wanted.Contains(Path.GetFileName(stale))) File.Delete(stale);
    }

    public TerraformRunner Runner(ToolEnvironment environment, IProgress<ProgressEvent>? progress) => new(new TerraformRunnerOptions
    {
        WorkingDirectory = Directory,
        Environment = environment,
        PluginDirectory = PluginDirectory,
        Progress = progress,
    });
}
