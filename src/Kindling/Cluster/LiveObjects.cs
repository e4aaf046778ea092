using k8s;
using k8s.Models;
using Kindling.Operations;

namespace Kindling.Cluster;

/// <summary>
/// What of the environment exists before <c>up</c> writes anything, read in one concurrent wave: the inventory
/// (every kind listed once, in parallel) and a read of each rendered object the inventory cannot see (objects in
/// another namespace, such as the Cluster Autoscaler in kube-system, and cluster-scoped kinds it does not list).
/// The applier derives created/configured/unchanged from it and from the apply answers, and prune uses the same
/// listing, so nothing is read twice.
/// </summary>
internal sealed class LiveObjects
{
    private readonly Dictionary<ObjectRef, IKubernetesObject<V1ObjectMeta>> byRef;

    private LiveObjects(IReadOnlyList<InventoryEntry> inventory, IEnumerable<(ObjectRef Ref, IKubernetesObject<V1ObjectMeta> Object)> outside)
    {
        Inventory = inventory;
        byRef = inventory.ToDictionary(e => e.Ref, e => e.Object);
        foreach (var (target, obj) in outside) byRef[target] = obj;
    }

    /// <summary>Everything the environment's inventory label finds, by kind then name.</summary>
    public IReadOnlyList<InventoryEntry> Inventory { get; }

    /// <summary>An empty view: nothing exists yet.</summary>
    public static LiveObjects None { get; } = new([], []);

    /// <summary>The object as it was read, or null when it did not exist (or is not the environment's and was not read).</summary>
    public IKubernetesObject<V1ObjectMeta>? Find(ObjectRef target) => byRef.GetValueOrDefault(target);

    /// <summary>Lists the inventory and reads the rendered objects it cannot see, all at once.</summary>
    public static async Task<LiveObjects> ReadAsync(KubeConnection connection, Inventory inventory, IEnumerable<ObjectRef> rendered,
        IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var listing = inventory.ListAsync(progress, cancellationToken);
        var reads = rendered.Where(r => r.Kind != KindClients.Namespace.Kind && !inventory.Sees(r))
            .Select(async r => (Ref: r, Object: await ReadOutsideAsync(connection, r, cancellationToken).ConfigureAwait(false)))
            .ToList();
        await Task.WhenAll(reads.Cast<Task>().Append(listing)).ConfigureAwait(false);
        return new LiveObjects(await listing.ConfigureAwait(false),
            reads.Select(t => t.Result).Where(t => t.Object is not null).Select(t => (t.Ref, t.Object!)));
    }

    private static async Task<IKubernetesObject<V1ObjectMeta>?> ReadOutsideAsync(KubeConnection connection, ObjectRef target, CancellationToken cancellationToken)
    {
        var kind = KindClients.For(target.Kind);
        try
        {
            return await connection.TryCallAsync($"read {target}", (k, ct) => kind.Read(k, target, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 403)
        {
            // Not readable (the permission check reports what up lacks): the apply's answer still tells created from not.
            return null;
        }
    }
}
