using k8s;
using Kindling.Images;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// The images carry the Spark and Python versions kindling.yaml asks for, read from the labels Kindling's
/// Dockerfiles set (<c>dev.kindling.spark-version</c>, <c>dev.kindling.python-version</c>; the Jupyter image
/// inherits the Spark one from its base). A mismatch is PySpark's PYTHON_VERSION_MISMATCH or a driver/executor
/// Spark mismatch waiting to happen.
/// </summary>
internal sealed class ImageVersionsCheck : IDoctorCheck
{
    /// <summary>The label with the image's Spark version (images/spark/Dockerfile).</summary>
    public const string SparkVersionLabel = "dev.kindling.spark-version";

    /// <summary>The label with the image's Python major.minor (both Dockerfiles).</summary>
    public const string PythonVersionLabel = "dev.kindling.python-version";

    public string Name => "image-versions";

    public bool Preflight => false;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var images = context.Inputs.Images;
        var results = new List<CheckResult>();
        foreach (var (which, reference, source) in new[] { ("spark", images.Spark, images.SparkSource), ("jupyter", images.Jupyter, images.JupyterSource) })
        {
            var check = $"{Name}/{which}";
            if (source == ImageSource.LocalDefault)
            {
                results.Add(CheckResult.Warn(check, $"{reference} is not in a registry, so its labels were not read"));
                continue;
            }
            var remote = await context.RemoteImageAsync(reference, cancellationToken).ConfigureAwait(false);
            if (remote.Exists != true)
            {
                results.Add(CheckResult.Warn(check, $"not checked: {reference} could not be read (see the images check)"));
                continue;
            }
            if (remote.Labels.Count == 0 || (!remote.Labels.ContainsKey(SparkVersionLabel) && !remote.Labels.ContainsKey(PythonVersionLabel)))
            {
                results.Add(CheckResult.Warn(check, $"{reference} has no {SparkVersionLabel}/{PythonVersionLabel} labels (not built by kindling images build?), so its versions are unknown",
                    "build the images with kindling images build, or make sure they hold the Spark and Python versions of kindling.yaml"));
                continue;
            }
            var spark = remote.Labels.GetValueOrDefault(SparkVersionLabel);
            var python = remote.Labels.GetValueOrDefault(PythonVersionLabel);
            var problems = new List<string>();
            if (spark is not null && spark != context.Spec.Spark.Version) problems.Add($"Spark {spark} where spark.version is {context.Spec.Spark.Version}");
            if (python is not null && python != context.Spec.Spark.PythonVersion) problems.Add($"Python {python} where spark.pythonVersion is {context.Spec.Spark.PythonVersion}");
            results.Add(problems.Count == 0
                ? CheckResult.Ok(check, $"{reference}: Spark {spark ?? "?"}, Python {python ?? "?"} as kindling.yaml says")
                : CheckResult.Fail(check, $"{reference} has {string.Join(" and ", problems)}",
                    "rebuild and push the images from this kindling.yaml (kindling images build && kindling images push), or fix the versions in kindling.yaml"));
        }
        return results;
    }
}
