namespace Kindling.Testing.FakeKube;

/// <summary>One served resource: where it lives in the URL space and how the fake treats it.</summary>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    string Singular,
    IReadOnlyList<string> ShortNames,
    bool HasStatus = false,
    bool HasGeneration = false,
    bool ReturnsObjectOnDelete = false,
    bool Crd = false)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>"deployments.apps" / "pods": the form the apiserver uses in error messages.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public override string ToString() => GroupResource;
}

/// <summary>The resources the fake serves. Unknown resources get 404 like an apiserver without the API.</summary>
internal static class ResourceCatalog
{
    private static readonly string[] NoShort = [];

    // ReturnsObjectOnDelete mirrors the apiserver registries that answer DELETE with the object rather than a
    // Status (pods, services, PVCs, namespaces), which is also what KubernetesClient's generated return types expect.
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", false, "namespace", ["ns"], HasStatus: true, ReturnsObjectOnDelete: true);
    public static readonly ResourceType Pods = new("", "v1", "pods", "Pod", true, "pod", ["po"], HasStatus: true, ReturnsObjectOnDelete: true);
    public static readonly ResourceType Services = new("", "v1", "services", "Service", true, "service", ["svc"], HasStatus: true, ReturnsObjectOnDelete: true);
    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true, "configmap", ["cm"]);
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "Secret", true, "secret", NoShort);
    public static readonly ResourceType ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", true, "serviceaccount", ["sa"]);
    public static readonly ResourceType PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, "persistentvolumeclaim", ["pvc"], HasStatus: true, ReturnsObjectOnDelete: true);
    public static readonly ResourceType Events = new("", "v1", "events", "Event", true, "event", ["ev"]);
    public static readonly ResourceType Nodes = new("", "v1", "nodes", "Node", false, "node", ["no"], HasStatus: true);
    public static readonly ResourceType Deployments = new("apps", "v1", "deployments", "Deployment", true, "deployment", ["deploy"], HasStatus: true, HasGeneration: true);
    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet", true, "replicaset", ["rs"], HasStatus: true, HasGeneration: true);
    public static readonly ResourceType Roles = new("rbac.authorization.k8s.io", "v1", "roles", "Role", true, "role", NoShort);
    public static readonly ResourceType RoleBindings = new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, "rolebinding", NoShort);
    public static readonly ResourceType ClusterRoles = new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, "clusterrole", NoShort);
    public static readonly ResourceType ClusterRoleBindings = new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, "clusterrolebinding", NoShort);
    public static readonly ResourceType NetworkPolicies = new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, "networkpolicy", ["netpol"], HasGeneration: true);
    /// <summary>The Prometheus Operator's PodMonitor: served only once a test installs its CRD (<see cref="CrdControl"/>).</summary>
    public static readonly ResourceType PodMonitors = new("monitoring.coreos.com", "v1", "podmonitors", "PodMonitor", true, "podmonitor", ["pmon"], HasGeneration: true, Crd: true);
    public static readonly ResourceType DaemonSets = new("apps", "v1", "daemonsets", "DaemonSet", true, "daemonset", ["ds"], HasStatus: true, HasGeneration: true);
    public static readonly ResourceType Endpoints = new("", "v1", "endpoints", "Endpoints", true, "endpoints", ["ep"]);
    public static readonly ResourceType EndpointSlices = new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, "endpointslice", NoShort);
    public static readonly ResourceType ResourceQuotas = new("", "v1", "resourcequotas", "ResourceQuota", true, "resourcequota", ["quota"], HasStatus: true);
    public static readonly ResourceType LimitRanges = new("", "v1", "limitranges", "LimitRange", true, "limitrange", ["limits"]);
    public static readonly ResourceType StorageClasses = new("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, "storageclass", ["sc"]);
    public static readonly ResourceType CsiDrivers = new("storage.k8s.io", "v1", "csidrivers", "CSIDriver", false, "csidriver", NoShort);
    public static readonly ResourceType SelfSubjectAccessReviews = new("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false, "selfsubjectaccessreview", NoShort);
    public static readonly ResourceType SelfSubjectRulesReviews = new("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false, "selfsubjectrulesreview", NoShort);

    /// <summary>The create-only reviews: answered, never stored.</summary>
    public static bool IsReview(ResourceType type) => type == SelfSubjectAccessReviews || type == SelfSubjectRulesReviews;

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces, Pods, Services, ConfigMaps, Secrets, ServiceAccounts, PersistentVolumeClaims, Events, Nodes,
        Deployments, ReplicaSets, Roles, RoleBindings, ClusterRoles, ClusterRoleBindings, NetworkPolicies,
        SelfSubjectAccessReviews, PodMonitors,
        DaemonSets, Endpoints, EndpointSlices, ResourceQuotas, LimitRanges, StorageClasses, CsiDrivers,
        SelfSubjectAccessReviews, SelfSubjectRulesReviews,
    ];

    /// <summary>Resources that are stored (the self-subject reviews are create-only and never persisted).</summary>
    public static IEnumerable<ResourceType> Stored => All.Where(t => !IsReview(t)).Distinct();

    public static ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    public static ResourceType? ForKind(string apiVersion, string kind) =>
        All.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);

    public static IEnumerable<string> Groups => All.Select(t => t.Group).Where(g => g.Length > 0).Distinct();
}
