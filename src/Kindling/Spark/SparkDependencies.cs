using System.Text.RegularExpressions;

namespace Kindling.Spark;

/// <summary>One entry of a dependency list, with the flag it came from (for located errors).</summary>
/// <param name="Uri">The entry as given: a local path, a URI, or for archives <c>path#alias</c>.</param>
/// <param name="Flag">Where it came from: <c>--jars</c> or <c>--conf spark.jars</c>.</param>
public sealed record SparkDependency(string Uri, string Flag)
{
    /// <summary>The entry without its <c>#alias</c> fragment.</summary>
    public string WithoutFragment => Uri.IndexOf('#') is var i and >= 0 ? Uri[..i] : Uri;

    /// <summary>The <c>#alias</c> fragment (archives), or null.</summary>
    public string? Fragment => Uri.IndexOf('#') is var i and >= 0 ? Uri[(i + 1)..] : null;
}

/// <summary>
/// The dependency lists of a submission as spark-submit resolves them (<c>SparkSubmitArguments.loadEnvironmentArguments</c>):
/// a flag wins over the matching conf key (<c>--jars</c> over <c>spark.jars</c>, <c>--packages</c> over
/// <c>spark.jars.packages</c> ...), lists are comma-separated.
/// </summary>
public sealed record SparkDependencies
{
    /// <summary>spark-submit's placeholder resource (<c>SparkLauncher.NO_RESOURCE</c>): the driver's spark-submit then
    /// takes the application jar from <c>spark.jars</c> instead of a resource argument.</summary>
    public const string NoResource = "spark-internal";

    /// <summary><c>spark.jars</c> entries, not counting the primary jar.</summary>
    public required IReadOnlyList<SparkDependency> Jars { get; init; }

    /// <summary><c>spark.files</c> entries.</summary>
    public required IReadOnlyList<SparkDependency> Files { get; init; }

    /// <summary><c>spark.archives</c> entries (<c>path#alias</c>).</summary>
    public required IReadOnlyList<SparkDependency> Archives { get; init; }

    /// <summary><c>spark.submit.pyFiles</c> entries.</summary>
    public required IReadOnlyList<SparkDependency> PyFiles { get; init; }

    /// <summary><c>spark.jars.packages</c>.</summary>
    public required IReadOnlyList<string> Packages { get; init; }

    /// <summary><c>spark.jars.repositories</c>.</summary>
    public required IReadOnlyList<string> Repositories { get; init; }

    /// <summary><c>spark.jars.excludes</c>.</summary>
    public required IReadOnlyList<string> Excludes { get; init; }

    /// <summary><c>spark.driver.extraJavaOptions</c>, when given.</summary>
    public string? DriverJavaOptions { get; init; }

    /// <summary>
    /// <c>spark.pyspark.python</c> derived from a packed environment in <see cref="Archives"/>
    /// (<c>./environment/bin/python</c>), when the application is Python and did not set it.
    /// </summary>
    public string? DerivedPysparkPython { get; init; }

    // Maven coordinates as MavenUtils.extractMavenCoordinates accepts them: group:artifact:version, where
    // '/' may stand for ':' (the spark-packages form), each part non-empty.
    private static readonly Regex Coordinate = new(@"^[^:/\s,]+[:/][^:/\s,]+:[^:/\s,]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Exclusion = new(@"^[^:/\s,]+:[^:/\s,]+$", RegexOptions.CultureInvariant);

    /// <summary>Resolves the lists of <paramref name="spec"/>; every problem is returned, located by its flag.</summary>
    public static (SparkDependencies Dependencies, IReadOnlyList<InputError> Errors) Of(SparkApplicationSpec spec)
    {
        var errors = new List<InputError>();
        List<SparkDependency> Entries(IReadOnlyList<string> flagValue, string flag, string confKey)
        {
            if (flagValue.Count > 0) return Split(flagValue).Select(v => new SparkDependency(v, flag)).ToList();
            return spec.Conf.TryGetValue(confKey, out var fromConf)
                ? Split([fromConf]).Select(v => new SparkDependency(v, $"--conf {confKey}")).ToList()
                : [];
        }

        var jars = Entries(spec.Jars, "--jars", SparkConfKeys.Jars);
        var files = Entries(spec.Files, "--files", SparkConfKeys.Files);
        var archives = Entries(spec.Archives, "--archives", SparkConfKeys.Archives);
        var pyFiles = Entries(spec.PyFiles, "--py-files", SparkConfKeys.PyFiles);
        var packages = Entries(spec.Packages, "--packages", SparkConfKeys.JarsPackages);
        var repositories = Entries(spec.Repositories, "--repositories", SparkConfKeys.JarsRepositories);
        var excludes = Entries(spec.ExcludePackages, "--exclude-packages", SparkConfKeys.JarsExcludes);

        foreach (var p in pyFiles.Where(p => SparkResource.FileName(p.Uri).EndsWith(".jar", StringComparison.OrdinalIgnoreCase)))
            errors.Add(new InputError(null, p.Flag, $"'{p.Uri}' is a jar; --py-files takes .py, .zip and .egg files. Pass jars with --jars"));
        foreach (var p in packages.Where(p => !Coordinate.IsMatch(p.Uri)))
            errors.Add(new InputError(null, p.Flag, $"'{p.Uri}' is not a Maven coordinate groupId:artifactId:version (e.g. org.apache.spark:spark-avro_2.12:3.5.5)"));
        foreach (var e in excludes.Where(e => !Exclusion.IsMatch(e.Uri)))
            errors.Add(new InputError(null, e.Flag, $"'{e.Uri}' is not groupId:artifactId (e.g. com.google.guava:guava)"));
        foreach (var r in repositories.Where(r => !System.Uri.TryCreate(r.Uri, UriKind.Absolute, out _)))
            errors.Add(new InputError(null, r.Flag, $"'{r.Uri}' is not a repository URL (e.g. https://repo.example.com/maven2)"));
        foreach (var a in archives.Where(a => a.Fragment is { Length: 0 }))
            errors.Add(new InputError(null, a.Flag, $"'{a.Uri}' has an empty #alias; write {a.WithoutFragment}#environment or leave out the #"));

        // Spark unpacks an archive into ./<alias> (or ./<file name>) in every container; a packed virtualenv or
        // conda env is only usable when spark.pyspark.python points into it (Spark docs "Python Package Management").
        string? derived = null;
        if (spec.IsPython && archives.Count > 0
            && !spec.Conf.ContainsKey(SparkConfKeys.PysparkPython) && !spec.Conf.ContainsKey(SparkConfKeys.PysparkDriverPython))
        {
            var environment = archives[0];
            if (string.IsNullOrEmpty(environment.Fragment))
                errors.Add(new InputError(null, environment.Flag,
                    $"'{environment.Uri}' has no #alias, so spark.pyspark.python cannot point into it; write {environment.Uri}#environment " +
                    "(the interpreter is then ./environment/bin/python), or set --conf spark.pyspark.python=<path>"));
            else
                derived = $"./{environment.Fragment}/bin/python";
        }

        var javaOptions = spec.DriverJavaOptions
                          ?? (spec.Conf.TryGetValue(SparkConfKeys.DriverExtraJavaOptions, out var j) ? j : null);
        return (new SparkDependencies
        {
            Jars = jars,
            Files = files,
            Archives = archives,
            PyFiles = pyFiles,
            Packages = packages.Select(p => p.Uri).ToList(),
            Repositories = repositories.Select(p => p.Uri).ToList(),
            Excludes = excludes.Select(p => p.Uri).ToList(),
            DriverJavaOptions = javaOptions,
            DerivedPysparkPython = derived,
        }, errors);
    }

    private static IEnumerable<string> Split(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
