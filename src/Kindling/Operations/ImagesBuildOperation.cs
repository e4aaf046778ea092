using Kindling.Images;

namespace Kindling.Operations;

/// <summary>
/// <c>kindling images build</c>: writes the build contexts to <c>.kindling/images/</c>, then builds the Spark image
/// and the Jupyter image FROM it. An image already built from the same context (its content-hash label matches)
/// is not rebuilt.
/// </summary>
public static class ImagesBuildOperation
{
    /// <summary>Builds both images, or reports the given ones when <c>images.build</c> is false.</summary>
    /// <exception cref="InvalidInputException">A tag or version is invalid.</exception>
    /// <exception cref="KindlingException">Docker is not running.</exception>
    /// <exception cref="ExternalToolException">docker is missing or a build failed.</exception>
    public static async Task<ImagesResult> RunAsync(EnvironmentContext environment, ImagesOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var plan = ImagesPlan.Create(environment, options);
        if (!plan.Spec.Images.Build)
        {
            Report(environment, "images", ProgressStatus.Info,
                $"images.build is false: nothing to build; using {plan.Images.Spark} and {plan.Images.Jupyter} as given");
            return new ImagesResult(plan.Tag, Build: false, ContextDirectory: null, plan.Given(), []);
        }
        var built = await BuildAsync(environment, plan, cancellationToken);
        return new ImagesResult(plan.Tag, Build: true, plan.ContextDirectory, built, []);
    }

    /// <summary>The build steps, shared with push: context, daemon check, Spark, then Jupyter FROM Spark.</summary>
    internal static async Task<IReadOnlyList<ImageOutcome>> BuildAsync(EnvironmentContext environment, ImagesPlan plan, CancellationToken cancellationToken)
    {
        plan.WriteContext();
        Report(environment, "context", ProgressStatus.Done,
            $"{plan.ContextFiles.Count} files in {plan.ContextDirectory} (tag {plan.Tag})");

        var docker = new DockerRunner(environment.Tools);
        await Step(environment, "docker", "checking the Docker daemon", () => docker.EnsureDaemonAsync(cancellationToken));

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { [ImageTag.ContentHashLabel] = plan.ContentHash };
        var spark = await BuildOneAsync(environment, docker, plan.ContentHash, new ImageStep(
            ImageResolver.SparkRepository, plan.Images.SparkSource,
            new DockerBuild(plan.SparkContextDirectory, plan.Images.Spark, DockerfileSet.SparkBuildArgs(plan.Spec), labels)),
            cancellationToken);
        var jupyter = await BuildOneAsync(environment, docker, plan.ContentHash, new ImageStep(
            ImageResolver.JupyterRepository, plan.Images.JupyterSource,
            new DockerBuild(plan.JupyterContextDirectory, plan.Images.Jupyter, DockerfileSet.JupyterBuildArgs(plan.Spec, plan.Images.Spark), labels)),
            cancellationToken);
        return [spark, jupyter];
    }

    private sealed record ImageStep(string Name, ImageSource Source, DockerBuild Build);

    private static async Task<ImageOutcome> BuildOneAsync(
        EnvironmentContext environment, DockerRunner docker, string contentHash, ImageStep image, CancellationToken cancellationToken)
    {
        var subject = $"image/{image.Name}";
        var reference = image.Build.Reference;
        // The tag alone cannot prove freshness (images.tag and --tag are fixed names), the label can.
        var existing = await docker.GetImageLabelAsync(reference, ImageTag.ContentHashLabel, cancellationToken);
        if (existing == contentHash)
        {
            Report(environment, subject, ProgressStatus.Unchanged, $"{reference} unchanged: it exists and was built from this context");
            return new ImageOutcome(image.Name, reference, image.Source, ImageAction.Unchanged, Pushed: false);
        }
        var gate = new object();
        await Step(environment, subject, $"building {reference}", () => docker.BuildAsync(image.Build, line =>
        {
            if (!IsBuildStep(line)) return;
            lock (gate) Report(environment, subject, ProgressStatus.Info, line.Trim());
        }, cancellationToken));
        return new ImageOutcome(image.Name, reference, image.Source, ImageAction.Built, Pushed: false);
    }

    // BuildKit prints "#7 [2/4] RUN ..." and the classic builder "Step 2/9 : RUN ..." as each step starts;
    // the rest of the output is the steps' own, which the failure message's tail keeps.
    private static bool IsBuildStep(string line) =>
        line.StartsWith("Step ", StringComparison.Ordinal) ||
        (line.StartsWith('#') && line.Contains(" [", StringComparison.Ordinal) && line.Contains("/", StringComparison.Ordinal));

    internal static async Task Step(EnvironmentContext environment, string subject, string message, Func<Task> body)
    {
        var started = environment.Time.GetTimestamp();
        Report(environment, subject, ProgressStatus.Started, message);
        try
        {
            await body();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            environment.Progress.Report(new ProgressEvent(subject, ProgressStatus.Failed, message, environment.Time.GetElapsedTime(started)));
            throw;
        }
        environment.Progress.Report(new ProgressEvent(subject, ProgressStatus.Done, message, environment.Time.GetElapsedTime(started)));
    }

    internal static void Report(EnvironmentContext environment, string subject, ProgressStatus status, string message) =>
        environment.Progress.Report(new ProgressEvent(subject, status, message));
}
