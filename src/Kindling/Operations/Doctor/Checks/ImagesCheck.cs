using k8s;
using Kindling.Images;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// The Spark and Jupyter images exist where the pods will pull them from: the registry answers for the tag (ECR
/// through the AWS CLI, others through the OCI distribution API). An image with a local name only (no registry
/// known) must already be on the nodes, as after <c>kind load</c>; the kubelet lists node images in
/// <c>status.images</c>.
/// </summary>
internal sealed class ImagesCheck : IDoctorCheck
{
    public string Name => "images";

    public bool Preflight => false;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var images = context.Inputs.Images;
        return
        [
            await OneAsync(context, "spark", images.Spark, images.SparkSource, cancellationToken).ConfigureAwait(false),
            await OneAsync(context, "jupyter", images.Jupyter, images.JupyterSource, cancellationToken).ConfigureAwait(false),
        ];
    }

    private async Task<CheckResult> OneAsync(DoctorContext context, string which, string reference, ImageSource source, CancellationToken cancellationToken)
    {
        var check = $"{Name}/{which}";
        if (source == ImageSource.LocalDefault)
        {
            var nodes = await context.NodesAsync().ConfigureAwait(false);
            var on = nodes.Count(n => n.Status?.Images?.Any(i => i.Names?.Contains(reference) == true || i.Names?.Contains("docker.io/" + reference) == true) == true);
            return on == nodes.Count && on > 0
                ? CheckResult.Ok(check, $"{reference} has no registry, and is present on all {on} node(s)")
                : CheckResult.Fail(check, $"{reference} has no registry (no images.registry and no infra apply) and is on {on} of {nodes.Count} node(s); pods elsewhere fail with ErrImagePull",
                    "set images.registry and run kindling images build and kindling images push, or load the images into the cluster (kind load docker-image ...)");
        }

        var remote = await context.RemoteImageAsync(reference, cancellationToken).ConfigureAwait(false);
        return remote.Exists switch
        {
            true => CheckResult.Ok(check, $"{reference} exists" + (remote.Platforms.Count > 0 ? $" ({string.Join(", ", remote.Platforms)})" : "")),
            false => CheckResult.Fail(check, $"{reference} does not exist: {remote.Detail}; pods would fail with ErrImagePull",
                source == ImageSource.Config ? $"fix {(which == "spark" ? "spark.image" : "notebook.image")} in kindling.yaml, or push that image"
                    : "kindling images build && kindling images push"),
            null => CheckResult.Warn(check, $"{reference} could not be checked: {remote.Detail}",
                "make the registry reachable with your credentials (aws configure / docker login) and run kindling doctor again"),
        };
    }
}
