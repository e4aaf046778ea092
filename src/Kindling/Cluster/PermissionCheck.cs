using k8s;
using k8s.Models;

namespace Kindling.Cluster;

/// <summary>One permission: a verb on a resource, in a namespace or cluster-wide.</summary>
/// <param name="Verb">API verb (<c>create</c>, <c>patch</c> ...).</param>
/// <param name="Group">API group, empty for core.</param>
/// <param name="Resource">Plural resource, optionally with a subresource (<c>pods/log</c>).</param>
/// <param name="Namespace">The namespace; null for cluster-scoped resources.</param>
public sealed record Permission(string Verb, string Group, string Resource, string? Namespace)
{
    /// <summary><c>create deployments.apps in kindling</c>, or <c>create namespaces (cluster-wide)</c>.</summary>
    public override string ToString()
    {
        var resource = Group.Length == 0 ? Resource : $"{Resource}.{Group}";
        return Namespace is null ? $"{Verb} {resource} (cluster-wide)" : $"{Verb} {resource} in {Namespace}";
    }
}

/// <summary>
/// Asks the API server, with SelfSubjectAccessReview, whether the current identity may do everything an
/// operation needs, before it changes anything; all gaps are reported together so one round of RBAC fixes suffices.
/// </summary>
internal sealed class PermissionCheck(KubeConnection connection)
{
    /// <summary>
    /// What <c>up</c> needs: apply (get, create, patch), prune (list, delete), and watch the rollout. The namespace
    /// is never applied: creating it needs "create namespaces" cluster-wide only when it is missing, so a user with
    /// rights only inside an existing namespace can run <c>up</c>.
    /// </summary>
    public static IReadOnlyList<Permission> ForUp(IEnumerable<string> kinds, string @namespace, NamespaceState namespaceState)
    {
        var needed = new List<Permission>();
        if (namespaceState == NamespaceState.Missing)
            needed.Add(new Permission("create", "", "namespaces", null));
        foreach (var kind in kinds.Distinct().Select(KindClients.For).Where(k => k != KindClients.Namespace))
        {
            var ns = kind.Namespaced ? @namespace : null;
            // Server-side apply of an object that does not exist yet is authorized as create, of one that does as patch.
            // Cluster-scoped objects other than the Namespace (the StorageClass) are pruned and deleted like namespaced ones.
            string[] verbs = kind.Namespaced || kind != KindClients.Namespace ? ["get", "create", "patch", "list", "delete"] : ["get", "create", "patch"];
            needed.AddRange(verbs.Select(v => new Permission(v, kind.Group, kind.Resource, ns)));
        }
        // The readiness wait lists and watches what it follows, and reads events and crash logs to explain failures.
        needed.AddRange(
        [
            new Permission("watch", "apps", "deployments", @namespace),
            new Permission("watch", "", "persistentvolumeclaims", @namespace),
            new Permission("list", "", "pods", @namespace),
            new Permission("watch", "", "pods", @namespace),
            new Permission("list", "", "events", @namespace),
        ]);
        return needed.Distinct().ToList();
    }

    /// <summary>
    /// What <c>submit</c> and the commands that follow applications need: create the driver pod and its owned
    /// ConfigMaps, Service and conf Secret (when the conf holds secret-like keys), track pods (<c>apps</c>, <c>submit --wait</c>), read logs and events, port-forward to
    /// the UI and notebook, and delete drivers (<c>kill</c>).
    /// </summary>
    public static IReadOnlyList<Permission> ForSubmit(string @namespace) =>
    [
        new("create", "", "pods", @namespace),
        new("create", "", "configmaps", @namespace),
        new("create", "", "services", @namespace),
        new("create", "", "secrets", @namespace),
        new("get", "", "pods", @namespace),
        new("list", "", "pods", @namespace),
        new("watch", "", "pods", @namespace),
        new("delete", "", "pods", @namespace),
        new("get", "", "pods/log", @namespace),
        new("create", "", "pods/portforward", @namespace),
        new("list", "", "events", @namespace),
    ];

    /// <summary>
    /// Applying objects that live outside the environment's namespace (the Cluster Autoscaler in kube-system):
    /// read, create and patch in their own namespace.
    /// </summary>
    public static IReadOnlyList<Permission> ForObjectsOutside(IEnumerable<ObjectRef> objects, string @namespace) =>
        objects.Where(o => o.Namespace.Length > 0 && o.Namespace != @namespace)
            .SelectMany(o =>
            {
                var kind = KindClients.For(o.Kind);
                return new[] { "get", "create", "patch" }.Select(v => new Permission(v, kind.Group, kind.Resource, o.Namespace));
            })
            .Distinct()
            .ToList();

    /// <summary>
    /// Returns every permission the identity lacks, in the order given, in one round trip when the cluster allows:
    /// one SelfSubjectRulesReview per namespace and a SelfSubjectAccessReview per cluster-scoped permission, all sent
    /// together. Namespaced permissions a review does not settle (it is incomplete, as with a webhook authorizer, or
    /// it does not grant them) are then asked one by one, again all at once: a denial is only ever an access review's.
    /// </summary>
    public async Task<IReadOnlyList<Permission>> MissingAsync(IReadOnlyList<Permission> needed, CancellationToken cancellationToken)
    {
        var allowed = new bool?[needed.Count];
        var reviews = needed.Select(p => p.Namespace).OfType<string>().Distinct(StringComparer.Ordinal)
            .ToDictionary(ns => ns, ns => TryReviewAsync(ns, cancellationToken), StringComparer.Ordinal);
        var clusterWide = Enumerable.Range(0, needed.Count).Where(i => needed[i].Namespace is null).ToList();
        await AskAsync(clusterWide, needed, allowed, cancellationToken, reviews.Values).ConfigureAwait(false);
        for (var i = 0; i < needed.Count; i++)
            if (needed[i].Namespace is { } ns && await reviews[ns].ConfigureAwait(false) is { } review && review.Allows(needed[i]))
                allowed[i] = true;
        await AskAsync(Enumerable.Range(0, needed.Count).Where(i => allowed[i] is null).ToList(), needed, allowed, cancellationToken, []).ConfigureAwait(false);
        return needed.Where((_, i) => allowed[i] != true).ToList();
    }

    /// <summary>One access review per permission in <paramref name="indexes"/>, all sent at once (with <paramref name="alongside"/>).</summary>
    private async Task AskAsync(IReadOnlyList<int> indexes, IReadOnlyList<Permission> needed, bool?[] allowed, CancellationToken cancellationToken,
        IEnumerable<Task> alongside)
    {
        var asks = indexes.Select(async i => allowed[i] = await IsAllowedAsync(needed[i], cancellationToken).ConfigureAwait(false)).ToList();
        await Task.WhenAll(asks.Concat(alongside)).ConfigureAwait(false);
    }

    /// <summary>The rules review, or null when the server does not answer one (then every permission is asked).</summary>
    private async Task<RulesReview?> TryReviewAsync(string @namespace, CancellationToken cancellationToken)
    {
        try
        {
            var review = await RulesReview.ReadAsync(connection, @namespace, cancellationToken).ConfigureAwait(false);
            return review.Complete ? review : null;
        }
        catch (KubernetesApiException)
        {
            return null;
        }
    }

    /// <summary>Throws when anything is missing, listing all of it.</summary>
    public async Task EnsureAsync(IReadOnlyList<Permission> needed, string operation, CancellationToken cancellationToken)
    {
        var missing = await MissingAsync(needed, cancellationToken).ConfigureAwait(false);
        if (missing.Count == 0) return;
        var lines = string.Join(Environment.NewLine, missing.Select(m => "  " + m));
        throw new KindlingException(
            $"{operation} needs {missing.Count} permission(s) that the identity of {connection.Target} lacks; nothing was changed:" +
            $"{Environment.NewLine}{lines}{Environment.NewLine}Ask a cluster admin to grant them (a Role and RoleBinding in the namespace).");
    }

    private async Task<bool> IsAllowedAsync(Permission permission, CancellationToken cancellationToken)
    {
        var parts = permission.Resource.Split('/', 2);
        var review = new V1SelfSubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SelfSubjectAccessReview",
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = permission.Verb,
                    Group = permission.Group,
                    Resource = parts[0],
                    Subresource = parts.Length > 1 ? parts[1] : null,
                    NamespaceProperty = permission.Namespace,
                },
            },
        };
        var result = await connection.CallAsync($"check permission to {permission}",
            (k, ct) => k.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(review, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return result.Status?.Allowed == true;
    }
}
