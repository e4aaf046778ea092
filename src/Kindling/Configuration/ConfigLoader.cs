namespace Kindling.Configuration;

/// <summary>A loaded configuration and where it came from.</summary>
/// <param name="Spec">The validated environment.</param>
/// <param name="SourcePath">The file it was read from; null for built-in defaults.</param>
public sealed record LoadedConfig(EnvironmentSpec Spec, string? SourcePath);

/// <summary>Reads kindling.yaml into a validated <see cref="EnvironmentSpec"/>.</summary>
public static class ConfigLoader
{
    /// <summary>The file looked for when no <c>-f</c> is given.</summary>
    public const string DefaultFileName = "kindling.yaml";

    /// <summary>
    /// Loads <paramref name="explicitPath"/> when given; otherwise <c>./kindling.yaml</c> when it exists;
    /// otherwise the built-in defaults.
    /// </summary>
    public static LoadedConfig LoadOrDefaults(string? explicitPath, string workingDirectory)
    {
        if (explicitPath is not null) return Load(Path.GetFullPath(explicitPath, workingDirectory));
        var implicitPath = Path.Combine(workingDirectory, DefaultFileName);
        return File.Exists(implicitPath) ? Load(implicitPath) : new LoadedConfig(new EnvironmentSpec(), null);
    }

    /// <summary>Loads and validates a file; every problem is reported at once as a <see cref="ConfigValidationException"/>.</summary>
    public static LoadedConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new ConfigValidationException([new InputError(null, "--file", $"{path} does not exist; create one with 'kindling init'")]);
        return new LoadedConfig(Parse(File.ReadAllText(path), path), path);
    }

    /// <summary>Parses and validates YAML text; <paramref name="displayName"/> is used in error locations.</summary>
    public static EnvironmentSpec Parse(string yaml, string displayName)
    {
        // Replaced by the located YAML binder and validator (in progress).
        _ = yaml;
        _ = displayName;
        return new EnvironmentSpec();
    }
}
