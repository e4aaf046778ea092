using System.Text.RegularExpressions;
using Kindling.Images;
using Kindling.Spark.Images;

namespace Kindling.Configuration;

/// <summary>
/// The image-related checks of kindling.yaml: a Spark/Scala/Java combination apache/spark publishes an image for,
/// that image's Python, <c>spark.packages</c>, <c>spark.pythonPackages</c> and <c>images.platform</c>.
/// </summary>
internal static partial class ImageSpecValidator
{
    public static void Validate(EnvironmentSpec spec, Action<string, string?> check)
    {
        ValidateVariant(spec.Spark, check);
        ValidatePackages(spec.Spark.Packages, check);
        ValidatePythonPackages(spec.Spark.PythonPackages, check);
        if (spec.Images.Platform is { } platform)
            check("images.platform", ImagePlatform.Parse(platform) is null
                ? $"'{platform}' is not a platform Kindling builds for; use {string.Join(" or ", ImagePlatform.All)}"
                : null);
    }

    private static void ValidateVariant(SparkSpec spark, Action<string, string?> check)
    {
        var line = SparkImageVariants.LineOf(spark.Version);
        if (line is null)
        {
            check("spark.version", $"'{spark.Version}' has no official apache/spark image Kindling supports; use one of " +
                                   $"{SparkImageVariants.SupportedReleases} (the default is {SparkImageVariants.DefaultSparkVersion})");
            return;
        }
        if (spark.ScalaVersion != line.ScalaVersion)
        {
            check("spark.scalaVersion", $"'{spark.ScalaVersion}': the Spark {spark.Version} images are built for Scala {line.ScalaVersion} only; " +
                                        $"set spark.scalaVersion: \"{line.ScalaVersion}\"");
            return;
        }
        if (!line.JavaVersions.Contains(spark.JavaVersion))
        {
            check("spark.javaVersion", $"{spark.JavaVersion}: the Spark {spark.Version} images ship Java " +
                                       $"{string.Join(" or ", line.JavaVersions)}; set spark.javaVersion to one of them");
            return;
        }
        var variant = SparkImageVariants.Find(spark.Version, spark.ScalaVersion, spark.JavaVersion)!;
        if (spark.PythonVersion != variant.PythonVersion)
            check("spark.pythonVersion", $"'{spark.PythonVersion}': apache/spark:{variant.Tag} has Python {variant.PythonVersion} " +
                                         $"(Ubuntu {variant.Ubuntu}); set spark.pythonVersion: \"{variant.PythonVersion}\"");
    }

    private static void ValidatePackages(IReadOnlyList<string> packages, Action<string, string?> check)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < packages.Count; i++)
        {
            var coordinate = packages[i];
            var path = $"spark.packages[{i}]";
            // Spark's --packages takes exactly groupId:artifactId:version (SparkSubmitUtils.extractMavenCoordinates).
            if (!MavenCoordinate().IsMatch(coordinate))
                check(path, $"'{coordinate}' is not a Maven coordinate; use groupId:artifactId:version, e.g. org.apache.spark:spark-avro_2.12:3.5.8");
            else if (!seen.Add(string.Join(':', coordinate.Split(':')[..2])))
                check(path, $"'{coordinate}' lists {string.Join(':', coordinate.Split(':')[..2])} twice; keep one version");
        }
    }

    private static void ValidatePythonPackages(IReadOnlyList<string> requirements, Action<string, string?> check)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < requirements.Count; i++)
        {
            var line = requirements[i];
            var path = $"spark.pythonPackages[{i}]";
            var match = Requirement().Match(line);
            if (!match.Success)
            {
                check(path, line.TrimStart().StartsWith('-')
                    ? $"'{line}' is a pip option, not a requirement; give one package per entry, e.g. scikit-learn==1.5.2"
                    : $"'{line}' is not a pip requirement; use a package name with an optional version, e.g. scikit-learn==1.5.2 or requests>=2.31");
                continue;
            }
            // PEP 503 normalisation: case, '-', '_' and '.' do not distinguish projects.
            var name = NameSeparators().Replace(match.Groups["name"].Value, "-").ToLowerInvariant();
            if (PythonLibraries.PinnedNames.Contains(name))
                check(path, name == "pyspark"
                    ? "'pyspark' must not be installed: the images use the Spark distribution's own pyspark, which matches the JVM"
                    : $"'{name}' is installed by Kindling at the version tested with this Spark; remove it from spark.pythonPackages");
            else if (!seen.Add(name))
                check(path, $"'{name}' is listed twice; keep one requirement");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+$")]
    private static partial Regex MavenCoordinate();

    // PEP 508, without URLs and environment markers that could hold shell metacharacters: a name, optional extras,
    // optional comma-separated version specifiers.
    [GeneratedRegex(@"^(?<name>[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)(\[[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*\])?\s*((===|==|~=|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+(\s*,\s*(===|==|~=|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+)*)?$")]
    private static partial Regex Requirement();

    [GeneratedRegex("[-_.]+")]
    private static partial Regex NameSeparators();
}
