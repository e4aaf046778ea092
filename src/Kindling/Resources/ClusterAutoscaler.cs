using k8s.Models;
using Kindling.Configuration;

namespace Kindling.Resources;

/// <summary>
/// The Kubernetes Cluster Autoscaler for Kindling's EKS cluster: it resizes the node groups' Auto Scaling groups
/// between their min and max. Shapes follow kubernetes/autoscaler
/// <c>cluster-autoscaler/cloudprovider/aws/examples/cluster-autoscaler-autodiscover.yaml</c>: a ServiceAccount, a
/// ClusterRole (it reads pods, nodes and storage cluster-wide and evicts pods to drain nodes), a Role for its
/// status ConfigMap, their bindings and a Deployment, all in kube-system. It is a cluster component, not part of
/// the environment's namespace: <c>down</c> leaves it running, and <c>infra destroy</c> removes it with the cluster.
/// </summary>
internal static class ClusterAutoscaler
{
    public const string Name = "cluster-autoscaler";
    public const string Namespace = "kube-system";
    public const string Image = "registry.k8s.io/autoscaling/cluster-autoscaler";

    /// <summary>The port of its metrics and <c>/health-check</c> endpoint (the autoscaler's <c>--address</c> default).</summary>
    public const int HealthPort = 8085;

    /// <summary>The distroless <c>nonroot</c> user the image is built on.</summary>
    private const long NonRootUid = 65532;

    /// <summary>The objects, or none when the environment is not on Kindling's EKS or the role is not known yet.</summary>
    public static IReadOnlyList<Manifest> Build(ManifestInputs inputs)
    {
        if (!inputs.OnKindlingEks || inputs.ClusterAutoscalerRoleArn is not { } role) return [];
        return
        [
            new(ServiceAccount(inputs, role), ApplyPhase.Foundation),
            new(ClusterRole(inputs), ApplyPhase.Foundation),
            new(ClusterRoleBinding(inputs), ApplyPhase.Foundation),
            new(Role(inputs), ApplyPhase.Foundation),
            new(RoleBinding(inputs), ApplyPhase.Foundation),
            new(Deployment(inputs), ApplyPhase.Workload),
        ];
    }

    /// <summary>The image of the autoscaler release that matches the cluster's Kubernetes minor.</summary>
    public static string ImageFor(EnvironmentSpec spec) => $"{Image}:v{EksVersions.Get(spec.Aws.KubernetesVersion).ClusterAutoscalerVersion}";

    private static V1ObjectMeta Metadata(ManifestInputs inputs, bool namespaced)
    {
        var labels = StandardLabels.For(inputs.Spec.Name, Name, "autoscaler");
        return new V1ObjectMeta { Name = Name, NamespaceProperty = namespaced ? Namespace : null, Labels = labels };
    }

    private static V1ServiceAccount ServiceAccount(ManifestInputs inputs, string role)
    {
        var metadata = Metadata(inputs, namespaced: true);
        // IRSA: the role may only resize this cluster's node groups (Terraform autoscaling.tf).
        metadata.Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [SparkServiceAccount.RoleArnAnnotation] = role };
        return new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = metadata };
    }

    private static V1PolicyRule Rule(string group, string[] resources, string[] verbs, string[]? names = null) =>
        new() { ApiGroups = [group], Resources = resources, Verbs = verbs, ResourceNames = names };

    private static V1ClusterRole ClusterRole(ManifestInputs inputs) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRole",
        Metadata = Metadata(inputs, namespaced: false),
        Rules =
        [
            Rule("", ["events", "endpoints"], ["create", "patch"]),
            Rule("", ["pods/eviction"], ["create"]),
            Rule("", ["pods/status"], ["update"]),
            Rule("", ["endpoints"], ["get", "update"], [Name]),
            Rule("", ["nodes"], ["watch", "list", "get", "update"]),
            Rule("", ["namespaces", "pods", "services", "replicationcontrollers", "persistentvolumeclaims", "persistentvolumes"], ["watch", "list", "get"]),
            Rule("extensions", ["replicasets", "daemonsets"], ["watch", "list", "get"]),
            Rule("policy", ["poddisruptionbudgets"], ["watch", "list"]),
            Rule("apps", ["statefulsets", "replicasets", "daemonsets"], ["watch", "list", "get"]),
            Rule("resource.k8s.io", ["deviceclasses", "resourceslices", "resourceclaims"], ["watch", "list", "get"]),
            Rule("storage.k8s.io", ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"], ["watch", "list", "get"]),
            Rule("batch", ["jobs"], ["get", "list", "watch", "patch"]),
            Rule("coordination.k8s.io", ["leases"], ["create"]),
            Rule("coordination.k8s.io", ["leases"], ["get", "update"], [Name]),
        ],
    };

    private static V1Role Role(ManifestInputs inputs) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "Role",
        Metadata = Metadata(inputs, namespaced: true),
        Rules =
        [
            Rule("", ["configmaps"], ["create", "list", "watch"]),
            Rule("", ["configmaps"], ["delete", "get", "update", "watch"], ["cluster-autoscaler-status", "cluster-autoscaler-priority-expander"]),
        ],
    };

    private static V1ClusterRoleBinding ClusterRoleBinding(ManifestInputs inputs) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRoleBinding",
        Metadata = Metadata(inputs, namespaced: false),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = Name },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = Name, NamespaceProperty = Namespace }],
    };

    private static V1RoleBinding RoleBinding(ManifestInputs inputs) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = Metadata(inputs, namespaced: true),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = Name },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = Name, NamespaceProperty = Namespace }],
    };

    /// <summary>The autoscaler's flags; documented in cluster-autoscaler/FAQ.md and cloudprovider/aws/README.md.</summary>
    public static IReadOnlyList<string> Arguments(EnvironmentSpec spec) =>
    [
        "--cloud-provider=aws",
        // Finds every Auto Scaling group EKS tagged for this cluster: the main and the executor node group.
        $"--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/{spec.Aws.ClusterName}",
        // Executors keep shuffle and spill files in emptyDir local dirs; with the default (true) a node running
        // one could never be scaled down. Dynamic allocation hands idle executors back first.
        "--skip-nodes-with-local-storage=false",
        "--expander=least-waste",
        // The executor group's instance types have equal size, so groups may be balanced across zones.
        "--balance-similar-node-groups",
        "--stderrthreshold=info",
        "--v=2",
    ];

    private static V1Deployment Deployment(ManifestInputs inputs)
    {
        var spec = inputs.Spec;
        var selector = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [StandardLabels.Name] = Name,
            [StandardLabels.Instance] = spec.Name,
        };
        var resources = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new("100m"),
            ["memory"] = new("600Mi"),
        };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Metadata(inputs, namespaced: true),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new SortedDictionary<string, string>(selector, StringComparer.Ordinal) },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = Name,
                        // A cluster component the scheduler must never starve, as in the upstream manifest.
                        PriorityClassName = "system-cluster-critical",
                        // The autoscaler must not evict itself by running on a node it scales away: on-demand only.
                        NodeSelector = new SortedDictionary<string, string>(StringComparer.Ordinal) { [NodePools.CapacityTypeLabel] = NodePools.OnDemand },
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = NonRootUid,
                            RunAsGroup = NonRootUid,
                            FsGroup = NonRootUid,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = Name,
                                Image = ImageFor(spec),
                                Command = ["/cluster-autoscaler"],
                                Args = [.. Arguments(spec)],
                                // The SDK needs the region; IRSA's webhook adds the role and token variables.
                                Env = [new V1EnvVar { Name = "AWS_REGION", Value = spec.Aws.Region }],
                                Ports = [new V1ContainerPort { Name = "http", ContainerPort = HealthPort, Protocol = "TCP" }],
                                LivenessProbe = new V1Probe
                                {
                                    HttpGet = new V1HTTPGetAction { Path = "/health-check", Port = HealthPort },
                                    InitialDelaySeconds = 30,
                                    PeriodSeconds = 30,
                                },
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = resources,
                                    Limits = new SortedDictionary<string, ResourceQuantity>(resources, StringComparer.Ordinal),
                                },
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                                    ReadOnlyRootFilesystem = true,
                                    RunAsNonRoot = true,
                                },
                            },
                        ],
                    },
                },
            },
        };
    }
}
