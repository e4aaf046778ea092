namespace Kindling.Operations.Provision;

/// <summary>
/// What the planner decides from: fingerprints of what each stage would produce now, the fingerprints recorded
/// when each stage last finished, and what was observed (the registry, the kubeconfig, the cluster). Gathering
/// them is the operation's job; deciding is <see cref="StagePlanner"/>'s, with no I/O.
/// </summary>
public sealed record ProvisionFacts
{
    /// <summary>The kind of cluster (<see cref="Configuration.ClusterKinds"/>) the environment goes to.</summary>
    public required string ClusterKind { get; init; }

    /// <summary>The kubeconfig context the environment goes to, as the user would recognise it.</summary>
    public string Context { get; init; } = "";

    /// <summary><c>--refresh</c>: check every stage against the real systems instead of trusting the records.</summary>
    public bool Refresh { get; init; }

    /// <summary>Fingerprint of the Terraform module as rendered now.</summary>
    public string InfraFingerprint { get; init; } = "";

    /// <summary>Fingerprint of the module the last successful apply applied; null when none is recorded.</summary>
    public string? AppliedInfraFingerprint { get; init; }

    /// <summary>Whether Terraform outputs (ECR, endpoint) are saved in local state.</summary>
    public bool OutputsSaved { get; init; }

    /// <summary>Whether the kubeconfig has a context for Kindling's EKS cluster and it is the one in use.</summary>
    public bool KubeconfigCurrent { get; init; }

    /// <summary><c>images.build</c>.</summary>
    public bool BuildImages { get; init; } = true;

    /// <summary>The image tag both images get.</summary>
    public string ImageTag { get; init; } = "";

    /// <summary>Fingerprint of the images as they would be built and delivered now (context, tag, references, platform, target).</summary>
    public string ImagesFingerprint { get; init; } = "";

    /// <summary>Fingerprint recorded when images were last pushed or loaded; null when never.</summary>
    public string? DeliveredImagesFingerprint { get; init; }

    /// <summary>
    /// Whether the registry holds both images with this tag, built from this context: true, false, or null when it
    /// was not or could not be asked (see <see cref="RegistryDetail"/>).
    /// </summary>
    public bool? ImagesInRegistry { get; init; }

    /// <summary>What the registry said, or why it could not be asked.</summary>
    public string RegistryDetail { get; init; } = "";

    /// <summary>Fingerprint of the environment's objects as rendered now, for this cluster and namespace.</summary>
    public string EnvironmentFingerprint { get; init; } = "";

    /// <summary>Fingerprint recorded when <c>up</c> last finished; null when never.</summary>
    public string? AppliedEnvironmentFingerprint { get; init; }

    /// <summary>Whether the notebook Deployment is available on the cluster now; null when not asked.</summary>
    public bool? EnvironmentReady { get; init; }
}
