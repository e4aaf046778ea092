using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kindling.Configuration;
using Kindling.Spark.Images;

namespace Kindling.Images;

/// <summary>
/// The two image build contexts as rendered files: <c>images/spark/Dockerfile</c>, <c>images/jupyter/Dockerfile</c>
/// and <c>images/build-args.env</c>. The Dockerfiles are embedded resources whose <c>ARG</c> defaults are filled
/// from the config, so a rendered Dockerfile builds the configured versions even with a plain <c>docker build</c>.
/// </summary>
public static partial class DockerfileSet
{
    /// <summary>Folder of every image file in the rendered output.</summary>
    public const string Root = "images";

    /// <summary>The Spark image's build context.</summary>
    public const string SparkContext = Root + "/spark";

    /// <summary>The Jupyter image's build context.</summary>
    public const string JupyterContext = Root + "/jupyter";

    /// <summary>The Spark Dockerfile.</summary>
    public const string SparkDockerfile = SparkContext + "/Dockerfile";

    /// <summary>The Jupyter Dockerfile.</summary>
    public const string JupyterDockerfile = JupyterContext + "/Dockerfile";

    /// <summary>The build arguments <c>kindling images build</c> passes, one <c>NAME=value</c> a line.</summary>
    public const string BuildArgsFile = Root + "/build-args.env";

    /// <summary>
    /// The notebook start-up file the Jupyter Dockerfile copies. <see cref="Spark.Notebook.NotebookFiles"/> renders
    /// it; <see cref="Render"/> does not.
    /// </summary>
    public const string NotebookStartupFile = JupyterContext + "/" + Spark.Notebook.NotebookFiles.StartupFileName;

    /// <summary>pip requirements of the Spark image: pandas, pyarrow, numpy and <c>spark.pythonPackages</c>.</summary>
    public const string RequirementsFile = SparkContext + "/requirements.txt";

    /// <summary><c>spark.packages</c>, one Maven coordinate a line, resolved into the Spark image's jars.</summary>
    public const string PackagesFile = SparkContext + "/packages.txt";

    /// <summary>The build argument that names the Spark image the Jupyter image is built FROM.</summary>
    public const string SparkImageArg = "SPARK_IMAGE";

    /// <summary>Renders the Dockerfiles and the build-args file for <paramref name="spec"/>, sorted by path.</summary>
    /// <exception cref="InvalidInputException">A version would not be a safe Dockerfile ARG value.</exception>
    public static IReadOnlyList<RenderedFile> Render(EnvironmentSpec spec)
    {
        var args = BuildArgs(spec);
        var line = ReleaseLine(spec);
        var placeholders = new Dictionary<string, string>(args.Concat(ImageLabels.Placeholders), StringComparer.Ordinal);
        return
        [
            new RenderedFile(BuildArgsFile, RenderBuildArgs(args, ImagePlatform.For(spec))),
            new RenderedFile(JupyterDockerfile, Fill(Template("jupyter"), placeholders)),
            new RenderedFile(SparkDockerfile, Fill(Template("spark"), placeholders)),
            new RenderedFile(PackagesFile, Lines(
                "# spark.packages: resolved with their dependencies into $SPARK_HOME/jars when the image is built.",
                spec.Spark.Packages)),
            new RenderedFile(RequirementsFile, Lines(
                $"# pandas/pyarrow/numpy tested with Spark {line.Line} (PySpark requires pandas>={line.Python.MinimumPandas}, pyarrow>={line.Python.MinimumPyarrow}), then spark.pythonPackages.",
                [.. line.Python.Requirements, .. spec.Spark.PythonPackages])),
        ];
    }

    /// <summary>
    /// The config-derived build arguments, sorted by name. The same values are the Dockerfiles' ARG defaults;
    /// passing them explicitly keeps <c>docker build</c> honest if someone edits a rendered Dockerfile.
    /// </summary>
    public static IReadOnlyDictionary<string, string> BuildArgs(EnvironmentSpec spec)
    {
        var args = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["JAVA_VERSION"] = Checked("spark.javaVersion", spec.Spark.JavaVersion.ToString(CultureInfo.InvariantCulture)),
            ["JUPYTER_PORT"] = Checked("notebook.port", spec.Notebook.Port.ToString(CultureInfo.InvariantCulture)),
            ["PYTHON_VERSION"] = Checked("spark.pythonVersion", spec.Spark.PythonVersion),
            ["SCALA_VERSION"] = Checked("spark.scalaVersion", spec.Spark.ScalaVersion),
            ["SPARK_VERSION"] = Checked("spark.version", spec.Spark.Version),
        };
        // From Kindling's own table, not from user input (Spark/Images/SparkImageVariants).
        var connector = ReleaseLine(spec).Connector;
        args["HADOOP_VERSION"] = connector.HadoopVersion;
        args["AWS_SDK_BUNDLE"] = $"{connector.SdkBundle.Group}:{connector.SdkBundle.Artifact}:{connector.SdkBundle.Version}";
        args["S3A_JARS"] = string.Join(' ', connector.Jars.Select(j => j.Path));
        args["MAVEN_REPOSITORY"] = S3aConnector.MavenCentral;
        return args;
    }

    private static SparkReleaseLine ReleaseLine(EnvironmentSpec spec) =>
        SparkImageVariants.LineOf(spec.Spark.Version)
        ?? throw new InvalidInputException("spark.version", $"'{spec.Spark.Version}' has no official apache/spark image Kindling supports; use one of {SparkImageVariants.SupportedReleases}");

    private static string Lines(string header, IEnumerable<string> lines)
    {
        var sb = new StringBuilder().Append(header).Append('\n');
        foreach (var line in lines) sb.Append(line).Append('\n');
        return sb.ToString();
    }

    /// <summary>The build arguments of the Spark image (those its Dockerfile declares).</summary>
    public static IReadOnlyDictionary<string, string> SparkBuildArgs(EnvironmentSpec spec) =>
        Select(BuildArgs(spec), "AWS_SDK_BUNDLE", "HADOOP_VERSION", "JAVA_VERSION", "MAVEN_REPOSITORY", "PYTHON_VERSION", "S3A_JARS", "SCALA_VERSION", "SPARK_VERSION");

    /// <summary>The build arguments of the Jupyter image, FROM <paramref name="sparkImage"/>.</summary>
    public static IReadOnlyDictionary<string, string> JupyterBuildArgs(EnvironmentSpec spec, string sparkImage)
    {
        var args = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [SparkImageArg] = sparkImage,
        };
        foreach (var (name, value) in Select(BuildArgs(spec), "JUPYTER_PORT", "PYTHON_VERSION")) args[name] = value;
        return args;
    }

    private static SortedDictionary<string, string> Select(IReadOnlyDictionary<string, string> all, params string[] names)
    {
        var selected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names) selected[name] = all[name];
        return selected;
    }

    private static string RenderBuildArgs(IReadOnlyDictionary<string, string> args, string platform)
    {
        var sb = new StringBuilder();
        sb.Append("# Build arguments of the Kindling images (kindling images build passes them as --build-arg).\n");
        // The platform is part of the build context's hash, so images built for another architecture get another tag.
        sb.Append("# Built for ").Append(platform).Append(" (docker buildx build --platform ").Append(platform).Append(").\n");
        sb.Append("# The Jupyter image also gets ").Append(SparkImageArg).Append(", the Spark image it is built FROM.\n");
        foreach (var (name, value) in args) sb.Append(name).Append('=').Append(value).Append('\n');
        return sb.ToString();
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string> args)
    {
        var filled = Placeholder().Replace(template, m =>
            args.TryGetValue(m.Groups[1].Value, out var value)
                ? value
                : throw new InvalidOperationException($"Dockerfile template placeholder @{m.Groups[1].Value}@ has no value"));
        return filled.Replace("\r\n", "\n");
    }

    private static string Template(string image)
    {
        var name = $"Kindling.Images.{image}.Dockerfile";
        using var stream = typeof(DockerfileSet).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"embedded resource {name} is missing from the Kindling assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // Values land in ARG defaults and image tags, so only tag-safe characters are allowed: a newline would
    // inject a Dockerfile instruction.
    private static string Checked(string path, string value) =>
        SafeValue().IsMatch(value)
            ? value
            : throw new InvalidInputException(path, $"'{value}' is not a valid version (letters, digits, '.', '-' and '_' only)");

    [GeneratedRegex("@([A-Z][A-Z0-9_]*)@")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex SafeValue();
}
