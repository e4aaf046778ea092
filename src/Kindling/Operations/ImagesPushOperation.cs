using Kindling.Images;
using Kindling.Tools;

namespace Kindling.Operations;

/// <summary>
/// <c>kindling images push</c>: builds what is not built yet (as <see cref="ImagesBuildOperation"/>), logs in to
/// ECR where the registry is ECR, then pushes the Spark image and the Jupyter image.
/// </summary>
public static class ImagesPushOperation
{
    /// <summary>Builds if needed and pushes both images.</summary>
    /// <exception cref="InvalidInputException">There is no registry to push to, or a tag is invalid.</exception>
    /// <exception cref="KindlingException">Docker is not running.</exception>
    /// <exception cref="ExternalToolException">docker or aws is missing, or a step failed.</exception>
    public static async Task<ImagesResult> RunAsync(EnvironmentContext environment, ImagesOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var plan = ImagesPlan.Create(environment, options);
        if (!plan.Spec.Images.Build)
        {
            ImagesBuildOperation.Report(environment, "images", ProgressStatus.Info,
                $"images.build is false: nothing to push; using {plan.Images.Spark} and {plan.Images.Jupyter} as given");
            return new ImagesResult(plan.Tag, Build: false, ContextDirectory: null, plan.Given(), []);
        }
        EnsurePushable(plan.Images);
        var logins = LoginTargets(plan).ToList();
        // Fail before a long build rather than after it when the login would be impossible anyway.
        if (logins.Count > 0) ToolLocator.Find(environment.Tools, ImageTools.Aws);

        var built = await ImagesBuildOperation.BuildAsync(environment, plan, cancellationToken);

        var docker = new DockerRunner(environment.Tools);
        var ecr = new EcrLogin(environment.Tools, docker);
        foreach (var target in logins)
        {
            await ImagesBuildOperation.Step(environment, $"login/{target.RegistryHost}", $"logging in to ECR {target.RegistryHost}",
                () => ecr.LoginAsync(target, cancellationToken));
        }

        var pushed = new List<ImageOutcome>();
        foreach (var image in built)
        {
            await ImagesBuildOperation.Step(environment, $"push/{image.Name}", $"pushing {image.Reference}",
                () => docker.PushAsync(image.Reference, onLine: null, cancellationToken));
            pushed.Add(image with { Pushed = true });
        }
        return new ImagesResult(plan.Tag, Build: true, plan.ContextDirectory, pushed, logins.Select(l => l.RegistryHost).ToList());
    }

    // A local default name has no registry: docker would try to push it to Docker Hub's "kindling" account.
    private static void EnsurePushable(ResolvedImages images)
    {
        if (images.SparkSource == ImageSource.LocalDefault || images.JupyterSource == ImageSource.LocalDefault)
            throw new InvalidInputException("images.registry",
                "there is no registry to push to: set images.registry in kindling.yaml, or run 'kindling infra apply' " +
                "so the ECR repositories are known");
    }

    // ECR needs a docker login first. A registry is treated as ECR when its host is an ECR host, when it came from
    // Terraform's ECR outputs, or when aws.endpoint points the AWS APIs elsewhere (LocalStack and moto serve ECR
    // under their own host names). An image given explicitly is only logged in for when its host is ECR.
    private static IEnumerable<EcrLoginTarget> LoginTargets(ImagesPlan plan)
    {
        var aws = plan.Spec.Aws;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (reference, source) in new[] { (plan.Images.Spark, plan.Images.SparkSource), (plan.Images.Jupyter, plan.Images.JupyterSource) })
        {
            if (RegistryHost.Of(reference) is not { } host) continue;
            var ecr = RegistryHost.IsEcr(host) ||
                      (source != ImageSource.Config && (source == ImageSource.TerraformOutputs || aws.Endpoint is not null));
            if (!ecr || !seen.Add(host)) continue;
            yield return new EcrLoginTarget(host, RegistryHost.EcrRegion(host) ?? aws.Region, aws.Endpoint);
        }
    }
}
