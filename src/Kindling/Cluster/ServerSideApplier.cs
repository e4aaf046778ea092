using k8s;
using k8s.Models;
using Kindling.Resources;

namespace Kindling.Cluster;

/// <summary>What applying or pruning did to one object.</summary>
public enum ApplyAction
{
    /// <summary>The object did not exist and was created.</summary>
    Created,

    /// <summary>The object existed and the apply changed it.</summary>
    Configured,

    /// <summary>The object existed and the apply changed nothing (same resourceVersion).</summary>
    Unchanged,

    /// <summary>The object was no longer rendered and was deleted.</summary>
    Pruned,

    /// <summary>The object was deleted (<c>down</c>).</summary>
    Deleted,

    /// <summary>The object was deliberately left in place.</summary>
    Kept,
}

/// <summary>The outcome for one object.</summary>
/// <param name="Object">Which object.</param>
/// <param name="Action">What happened.</param>
/// <param name="Note">Why, when the action needs explaining (kept objects).</param>
public sealed record AppliedObject(ObjectRef Object, ApplyAction Action, string? Note = null);

/// <summary>
/// Server-side apply of the rendered objects, phase by phase, and prune of objects that carry the environment's
/// inventory label but are no longer rendered.
/// </summary>
/// <remarks>
/// Apply uses field manager <c>kindling</c> with <c>force=true</c>. Kindling is the only intended owner of the
/// fields it renders; without force, a field last written by someone else (a <c>kubectl edit</c>, an earlier
/// client-side <c>kubectl apply</c>) makes the API answer 409 and <c>up</c> could never converge. Force moves
/// ownership of exactly the fields Kindling sends; fields it does not send stay with their managers.
/// </remarks>
internal sealed class ServerSideApplier(KubeConnection connection)
{
    private const int ConflictAttempts = 3;

    /// <summary>Applies every manifest, phase by phase; within a phase in the given order.</summary>
    public async Task<IReadOnlyList<AppliedObject>> ApplyAsync(
        IReadOnlyList<Manifest> manifests, string defaultNamespace, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var results = new List<AppliedObject>();
        foreach (var phase in manifests.GroupBy(m => m.Phase).OrderBy(g => g.Key))
        {
            foreach (var manifest in phase)
            {
                var result = await ApplyOneAsync(manifest.Object, defaultNamespace, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                progress.Report(new ProgressEvent(result.Object.ToString(),
                    result.Action == ApplyAction.Unchanged ? ProgressStatus.Unchanged : ProgressStatus.Changed,
                    result.Action.ToString().ToLowerInvariant()));
            }
        }
        return results;
    }

    private async Task<AppliedObject> ApplyOneAsync(IKubernetesObject<V1ObjectMeta> obj, string defaultNamespace, CancellationToken cancellationToken)
    {
        var kind = KindClients.For(obj.Kind);
        var target = ObjectRef.Of(obj, defaultNamespace);
        var patch = new V1Patch(obj, V1Patch.PatchType.ApplyPatch);
        for (var attempt = 1; ; attempt++)
        {
            // Reading first is what tells created from configured from unchanged: an apply that changes nothing
            // leaves resourceVersion as it was.
            var before = await connection.TryCallAsync($"read {target}", (k, ct) => kind.Read(k, target, ct), cancellationToken)
                .ConfigureAwait(false);
            try
            {
                var after = await connection.CallAsync($"apply {target}", (k, ct) => kind.Apply(k, patch, target, ct), cancellationToken)
                    .ConfigureAwait(false);
                var action = before is null ? ApplyAction.Created
                    : before.Metadata.ResourceVersion == after.Metadata.ResourceVersion ? ApplyAction.Unchanged
                    : ApplyAction.Configured;
                return new AppliedObject(target, action);
            }
            catch (KubernetesApiException e) when (e.StatusCode == 409 && attempt < ConflictAttempts)
            {
                // A forced apply has no field conflicts, so a 409 is a write race (e.g. a controller updating the
                // object at the same moment): read the current state again and re-apply.
            }
        }
    }

    /// <summary>
    /// Deletes objects labelled with the environment's inventory that are not in <paramref name="rendered"/>.
    /// Runs only after a complete apply, so an interrupted <c>up</c> never prunes against a partial set.
    /// PersistentVolumeClaims are never pruned: they hold the user's notebooks, and only <c>down --purge</c> removes them.
    /// </summary>
    public async Task<IReadOnlyList<AppliedObject>> PruneAsync(
        string environment, string @namespace, IReadOnlySet<ObjectRef> rendered, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var results = new List<AppliedObject>();
        var selector = KindClients.InventorySelector(environment);
        foreach (var kind in KindClients.All.Where(k => k.Namespaced))
        {
            var existing = await connection.CallAsync($"list {kind.Resource} in {@namespace}",
                (k, ct) => kind.List(k, @namespace, selector, ct), cancellationToken).ConfigureAwait(false);
            foreach (var obj in existing.OrderBy(o => o.Metadata.Name, StringComparer.Ordinal))
            {
                var target = new ObjectRef(kind.Kind, @namespace, obj.Metadata.Name);
                // The selector already matched; checking again guards against a server that ignores it.
                if (rendered.Contains(target) || !HasInventory(obj, environment) || obj.Metadata.DeletionTimestamp is not null) continue;
                if (kind == KindClients.PersistentVolumeClaim)
                {
                    results.Add(new AppliedObject(target, ApplyAction.Kept, "no longer rendered; holds notebooks, delete it with 'kindling down --purge'"));
                    progress.Report(new ProgressEvent(target.ToString(), ProgressStatus.Info, "no longer rendered; kept because it holds notebooks"));
                    continue;
                }
                await DeleteAsync(kind, target, cancellationToken).ConfigureAwait(false);
                results.Add(new AppliedObject(target, ApplyAction.Pruned));
                progress.Report(new ProgressEvent(target.ToString(), ProgressStatus.Changed, "pruned"));
            }
        }
        return results;
    }

    /// <summary>Deletes one object; already gone counts as done.</summary>
    public async Task DeleteAsync(KindClient kind, ObjectRef target, CancellationToken cancellationToken)
    {
        try
        {
            await connection.CallAsync($"delete {target}", async (k, ct) =>
            {
                await kind.Delete(k, target, ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 404)
        {
        }
    }

    internal static bool HasInventory(IKubernetesObject<V1ObjectMeta> obj, string environment) =>
        obj.Metadata.Labels?.TryGetValue(KindlingLabels.Inventory, out var value) == true && value == environment;
}
