using k8s;
using k8s.Models;
using Kindling.Configuration;
using Kindling.Images;

namespace Kindling.Resources;

/// <summary>Apply order: each phase is applied before the next, because later objects refer to earlier ones.</summary>
public enum ApplyPhase
{
    /// <summary>The Namespace.</summary>
    Namespace = 0,

    /// <summary>ServiceAccount, Role, RoleBinding, Secret, PVC.</summary>
    Foundation = 1,

    /// <summary>Services and NetworkPolicy.</summary>
    Network = 2,

    /// <summary>The Jupyter Deployment.</summary>
    Workload = 3,
}

/// <summary>One Kubernetes object of the environment and when to apply it.</summary>
/// <param name="Object">A typed KubernetesClient model with ApiVersion and Kind set.</param>
/// <param name="Phase">Its apply phase.</param>
public sealed record Manifest(IKubernetesObject<V1ObjectMeta> Object, ApplyPhase Phase)
{
    /// <summary>
    /// Created when missing and otherwise never written again (the Namespace, which may be someone else's; the token
    /// Secret, whose value lives only in the cluster): <c>up</c> creates rather than applies it.
    /// </summary>
    public bool CreateOnly { get; init; }

    /// <summary>Said at the top of the rendered file (e.g. why a value is a placeholder); null for none.</summary>
    public string? Comment { get; init; }
}

/// <summary>Everything the Kubernetes objects are a pure function of.</summary>
/// <param name="Spec">The validated environment.</param>
/// <param name="Images">Resolved image references.</param>
/// <param name="JupyterToken">The Jupyter token (injected so output stays deterministic).</param>
public sealed record ManifestInputs(EnvironmentSpec Spec, ResolvedImages Images, string JupyterToken)
{
    /// <summary>
    /// The IAM role Spark pods assume through IRSA (Terraform output <c>spark_role_arn</c>), or null when no
    /// infrastructure has been applied: the ServiceAccount then carries no role and S3A keeps its default credentials.
    /// </summary>
    public string? SparkRoleArn { get; init; }

    /// <summary>
    /// The read-only IAM role of the History Server (Terraform output <c>history_role_arn</c>), or null: its
    /// ServiceAccount then carries no role and S3A keeps its default credentials.
    /// </summary>
    public string? HistoryRoleArn { get; init; }

    /// <summary>
    /// Whether the environment runs on the EKS cluster Kindling provisioned (<see cref="KindlingEks.RunsOn"/>):
    /// EKS-only objects (the Cluster Autoscaler, the gp3 StorageClass) are rendered only then.
    /// </summary>
    public bool OnKindlingEks { get; init; }

    /// <summary>
    /// The Cluster Autoscaler's IAM role (Terraform output <c>cluster_autoscaler_role_arn</c>); without it the
    /// autoscaler is not rendered, since it could not call the Auto Scaling API.
    /// </summary>
    public string? ClusterAutoscalerRoleArn { get; init; }

    /// <summary>
    /// The in-cluster object store's credentials (<c>storage.local</c>), or null: the store's create-only Secret is
    /// then rendered without data, as the token Secret is without a token.
    /// </summary>
    public ObjectStoreCredentials? StoreCredentials { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"ManifestInputs {{ Spec = {Spec}, Images = {Images}, JupyterToken = <redacted> }}";
}
