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
/// Server-side apply of the rendered objects, phase by phase. Create-only objects (the token Secret) are created
/// when missing and otherwise left exactly as they are; the Namespace is <see cref="NamespaceOwnership"/>'s, and
/// pruning is <see cref="Inventory"/>'s.
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

    /// <summary>
    /// Applies every manifest, phase by phase (later phases refer to earlier ones); the objects of one phase do not
    /// depend on each other and are applied concurrently, so a phase costs one round trip. Whether each object was
    /// created, configured or left unchanged comes from <paramref name="live"/> (read once before applying) and
    /// from the apply's own answer, never from a read per object. Results and progress keep the manifests' order.
    /// </summary>
    public async Task<IReadOnlyList<AppliedObject>> ApplyAsync(
        IReadOnlyList<Manifest> manifests, string defaultNamespace, LiveObjects live, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var results = new List<AppliedObject>();
        foreach (var phase in manifests.GroupBy(m => m.Phase).OrderBy(g => g.Key))
        {
            var applied = await Task.WhenAll(phase
                .Where(m => m.Object.Kind != KindClients.Namespace.Kind)
                .Select(m => m.CreateOnly
                    ? CreateIfMissingAsync(m.Object, defaultNamespace, live, cancellationToken)
                    : ApplyOneAsync(m.Object, defaultNamespace, live, cancellationToken))).ConfigureAwait(false);
            foreach (var result in applied)
            {
                results.Add(result);
                progress.Report(new ProgressEvent(result.Object.ToString(),
                    result.Action == ApplyAction.Unchanged ? ProgressStatus.Unchanged : ProgressStatus.Changed,
                    result.Action.ToString().ToLowerInvariant()));
            }
        }
        return results;
    }

    /// <summary>
    /// Creates the object when it does not exist; an existing one is never rewritten (the token Secret's value is
    /// the one the running notebook uses). A create answered 409 (a retried request that had succeeded, another
    /// <c>up</c> at the same moment, or a namesake the inventory does not list) means it exists now.
    /// </summary>
    private async Task<AppliedObject> CreateIfMissingAsync(IKubernetesObject<V1ObjectMeta> obj, string defaultNamespace, LiveObjects live, CancellationToken cancellationToken)
    {
        var kind = KindClients.For(obj.Kind);
        var target = ObjectRef.Of(obj, defaultNamespace);
        var create = kind.Create ?? throw new InvalidOperationException($"Kindling cannot create objects of kind '{obj.Kind}'");
        if (live.Find(target) is not null) return new AppliedObject(target, ApplyAction.Unchanged);
        if (kind.Namespaced) obj.Metadata.NamespaceProperty ??= target.Namespace;
        try
        {
            await connection.CallAsync($"create {target}", (k, ct) => create(k, obj, ct), cancellationToken).ConfigureAwait(false);
            return new AppliedObject(target, ApplyAction.Created);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 409)
        {
            return new AppliedObject(target, ApplyAction.Unchanged);
        }
    }

    private async Task<AppliedObject> ApplyOneAsync(IKubernetesObject<V1ObjectMeta> obj, string defaultNamespace, LiveObjects live, CancellationToken cancellationToken)
    {
        var kind = KindClients.For(obj.Kind);
        var target = ObjectRef.Of(obj, defaultNamespace);
        // KubernetesClient.Aot sends only string patch bodies; JSON is valid apply-patch+yaml.
        var patch = new V1Patch(KubernetesJson.Serialize(obj), V1Patch.PatchType.ApplyPatch);
        var before = live.Find(target);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var after = await connection.CallAsync($"apply {target}", (k, ct) => kind.Apply(k, patch, target, ct), cancellationToken)
                    .ConfigureAwait(false);
                // An apply that changes nothing leaves resourceVersion as it was. An object that existed but was
                // not listed (a namesake without the inventory label) is one the apply took over: configured.
                var action = after.Created ? ApplyAction.Created
                    : before is not null && before.Metadata.ResourceVersion == after.Object.Metadata.ResourceVersion ? ApplyAction.Unchanged
                    : ApplyAction.Configured;
                return new AppliedObject(target, action);
            }
            catch (KubernetesApiException e) when (e.StatusCode == 409 && attempt < ConflictAttempts)
            {
                // A forced apply has no field conflicts, so a 409 is a write race (e.g. a controller updating the
                // object at the same moment): apply again; the object has changed since it was listed.
                before = null;
            }
        }
    }
}
