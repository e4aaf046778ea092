using k8s;
using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Images;

namespace Kindling.Operations.Provision;

/// <summary>
/// Gathers the facts the planner decides a stage from, just before that stage, so they reflect what the stages
/// before it did: fingerprints (pure), the records of earlier runs, and what the real systems say now (the
/// kubeconfig, the registry, the cluster's nodes and notebook Deployment).
/// </summary>
internal sealed class ProvisionObservations(EnvironmentContext environment, ProvisionOptions options, ProvisionTarget target)
{
    private bool Eks => target.Cluster.Kind == ClusterKinds.Eks;

    public async Task<ProvisionFacts> FactsAsync(ProvisionStage stage, ProvisionRecord record, CancellationToken cancellationToken)
    {
        var facts = new ProvisionFacts { ClusterKind = target.Cluster.Kind, Refresh = options.Refresh };
        switch (stage)
        {
            case ProvisionStage.Infra:
                return facts with
                {
                    InfraFingerprint = ProvisionFingerprints.Infra(environment.Spec),
                    AppliedInfraFingerprint = record.Infra?.Fingerprint,
                    OutputsSaved = KindlingEks.RunsOn(environment.Spec, environment.State),
                };
            case ProvisionStage.Kubeconfig:
                return facts with { KubeconfigCurrent = Eks && UseEksContext(), Context = ContextName() };
            case ProvisionStage.Images:
                if (Eks) UseEksContext();
                return await ImagesAsync(facts with { Context = ContextName() }, record, cancellationToken).ConfigureAwait(false);
            case ProvisionStage.Environment:
                if (Eks) UseEksContext();
                var server = environment.Connection.Target.Server;
                return facts with
                {
                    Context = ContextName(),
                    EnvironmentFingerprint = ProvisionFingerprints.Environment(environment.Manifests(), server, environment.Namespace),
                    AppliedEnvironmentFingerprint = record.Environment?.Fingerprint,
                    EnvironmentReady = await NotebookAvailableAsync(cancellationToken).ConfigureAwait(false),
                };
            default:
                return facts;
        }
    }

    private string ContextName() =>
        environment.ConnectionSettings is { } settings && KubeconfigPeek.Read(settings) is var (context, _) ? context : "";

    private bool UseEksContext() => EksContext.Use(environment, options.KubeconfigPath);

    private async Task<ProvisionFacts> ImagesAsync(ProvisionFacts facts, ProvisionRecord record, CancellationToken cancellationToken)
    {
        var spec = environment.Spec;
        var images = environment.Images;
        var contentHash = ImageTag.ContentHash(environment.BuildContext);
        var destination = target.Cluster.IsLocal ? await LocalDestinationAsync(cancellationToken).ConfigureAwait(false) : "registry";
        facts = facts with
        {
            BuildImages = spec.Images.Build,
            ImageTag = environment.ImageTag,
            ImagesFingerprint = ProvisionFingerprints.Images(contentHash, images, ImagePlatform.For(spec), destination),
            DeliveredImagesFingerprint = record.Images?.Fingerprint,
        };
        if (target.Cluster.IsLocal || !spec.Images.Build) return facts;
        if (images.SparkSource == ImageSource.LocalDefault)
            return facts with { ImagesInRegistry = false, RegistryDetail = "no registry is known yet" };

        var answers = await Task.WhenAll(new[] { images.Spark, images.Jupyter }.Select(r =>
            RemoteImages.ReadAsync(r, environment.Tools, options.RegistryHandler, spec.Aws.Endpoint, cancellationToken))).ConfigureAwait(false);
        // The content-hash label proves what an image was built from. A registry that does not show labels (the
        // config blob unreadable) still proves it for the default tag, which is itself the content hash.
        bool? Has(RemoteImage image) => image.Exists switch
        {
            true => image.Labels.TryGetValue(ImageTag.ContentHashLabel, out var label) ? label == contentHash : spec.Images.Tag is null,
            false => false,
            null => null,
        };
        var verdicts = answers.Select(Has).ToList();
        var inRegistry = verdicts.Contains(false) ? false : verdicts.Contains(null) ? (bool?)null : true;
        var detail = string.Join("; ", answers.Where(a => a.Detail.Length > 0).Select(a => a.Detail));
        if (inRegistry == false && detail.Length == 0) detail = "an image with this tag was built from another context";
        return facts with { ImagesInRegistry = inRegistry, RegistryDetail = detail };
    }

    // A laptop cluster that was deleted and created again has new nodes, which have none of the loaded images.
    private async Task<string> LocalDestinationAsync(CancellationToken cancellationToken)
    {
        // The nodes cluster detection read. When this identity may not list nodes, a re-created cluster cannot be
        // told from the old one: the record alone decides, and --refresh loads the images again.
        var nodes = environment.SurveyedNodes ?? (await NodeSurvey.ReadAsync(environment.Connection, cancellationToken).ConfigureAwait(false)).Items;
        var uids = nodes.Select(n => n.Metadata.Uid ?? n.Metadata.Name).Order(StringComparer.Ordinal);
        return $"{target.Cluster.Kind}/{target.Cluster.Name}/{string.Join(',', uids)}";
    }

    private async Task<bool?> NotebookAvailableAsync(CancellationToken cancellationToken)
    {
        try
        {
            var name = environment.Names.JupyterDeployment;
            var deployment = await environment.Connection.TryCallAsync($"read Deployment/{name}",
                (k, ct) => k.AppsV1.ReadNamespacedDeploymentAsync(name, environment.Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            return deployment?.Status?.AvailableReplicas is > 0;
        }
        catch (KubernetesApiException)
        {
            return null;
        }
    }
}
