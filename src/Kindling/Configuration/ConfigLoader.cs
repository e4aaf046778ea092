namespace Kindling.Configuration;

/// <summary>A loaded configuration and where it came from.</summary>
/// <param name="Spec">The validated environment.</param>
/// <param name="SourcePath">The file it was read from; null for built-in defaults.</param>
public sealed record LoadedConfig(EnvironmentSpec Spec, string? SourcePath)
{
    /// <summary>The key paths the file sets (<c>spark.executors.memory</c>), so defaults can tell "unset" from "set to the default".</summary>
    public IReadOnlySet<string> SetKeys { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Where each set key is in the file, so a problem found later (against the cluster) is still located.</summary>
    public IReadOnlyDictionary<string, SourceLocation> Locations { get; init; } = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
}

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
        // Errors name the file as the user typed it.
        if (explicitPath is not null) return Load(Path.GetFullPath(explicitPath, workingDirectory), explicitPath);
        var implicitPath = Path.Combine(workingDirectory, DefaultFileName);
        return File.Exists(implicitPath) ? Load(implicitPath, DefaultFileName) : new LoadedConfig(new EnvironmentSpec(), null);
    }

    /// <summary>Loads and validates a file; every problem is reported at once as a <see cref="ConfigValidationException"/>.</summary>
    public static LoadedConfig Load(string path, string? displayName = null)
    {
        var display = displayName ?? path;
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new ConfigValidationException([new InputError(null, "--file", $"{display} does not exist; create one with 'kindling init'")]);
        // Checked before it is opened: a directory, an empty file or a FIFO is refused, never read (a FIFO would hang).
        var (spec, locations) = ParseWithLocations(InputFile.ReadAllText(path, display, "a kindling.yaml", "--file"), display);
        return new LoadedConfig(spec, path) { SetKeys = locations.Keys.ToHashSet(StringComparer.Ordinal), Locations = locations };
    }

    /// <summary>Parses and validates YAML text; <paramref name="displayName"/> is used in error locations.</summary>
    public static EnvironmentSpec Parse(string yaml, string displayName) => ParseLocated(yaml, displayName).Spec;

    /// <summary>Parses and validates YAML text, and says which key paths it sets.</summary>
    public static (EnvironmentSpec Spec, IReadOnlySet<string> SetKeys) ParseLocated(string yaml, string displayName)
    {
        var (spec, locations) = ParseWithLocations(yaml, displayName);
        return (spec, locations.Keys.ToHashSet(StringComparer.Ordinal));
    }

    private static (EnvironmentSpec Spec, IReadOnlyDictionary<string, SourceLocation> Locations) ParseWithLocations(string yaml, string displayName)
    {
        var (spec, binder) = ConfigBinder.Bind(yaml, displayName);
        var errors = new List<InputError>(binder.Errors);
        // Semantic checks always run, so an unknown key does not hide the value errors after it. A value that failed
        // to bind still holds its default, and checking the default would report a problem the user did not write:
        // findings at (or inside, or around) a path that failed to bind are left out.
        var failed = binder.Errors.Select(e => e.Path).Where(p => p.Length > 0).ToList();
        foreach (var problem in SpecValidator.Validate(spec).Concat(NodeArchitectureValidator.Validate(spec, binder.Locations.ContainsKey)))
        {
            if (failed.Any(f => Related(f, problem.Path))) continue;
            errors.Add(new InputError(Locate(problem.Path, binder.Locations, displayName), problem.Path, problem.Message));
        }
        if (errors.Count > 0)
            throw new ConfigValidationException([.. errors.OrderBy(e => e.Location?.Line ?? 0).ThenBy(e => e.Location?.Column ?? 0)]);
        return (spec, binder.Locations);
    }

    /// <summary>The location of a path, or of its nearest ancestor the file sets, or the top of the file.</summary>
    private static SourceLocation Locate(string path, IReadOnlyDictionary<string, SourceLocation> locations, string file)
    {
        for (var candidate = path; candidate.Length > 0; candidate = Parent(candidate))
            if (locations.TryGetValue(candidate, out var location)) return location;
        return new SourceLocation(file, 1, 1);
    }

    // Siblings too: a misspelt key leaves its intended sibling unset, and "X is required" would repeat the typo's error.
    private static bool Related(string a, string b) =>
        a == b || Contains(a, b) || Contains(b, a) || (Parent(a).Length > 0 && Parent(a) == Parent(b));

    private static bool Contains(string outer, string inner) =>
        inner.StartsWith(outer, StringComparison.Ordinal) && inner.Length > outer.Length && inner[outer.Length] is '.' or '[';

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }
}
