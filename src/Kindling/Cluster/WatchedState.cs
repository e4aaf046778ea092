using k8s;
using k8s.Models;

namespace Kindling.Cluster;

/// <summary>
/// The waiter's latest view of Deployments, PVCs and pods, fed by watches on other threads, with a signal that
/// fires on every change so the waiter re-evaluates only when something happened.
/// </summary>
internal sealed class WatchedState(int sources)
{
    private readonly Lock gate = new();
    private readonly HashSet<string> listed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, V1Pod>> pods = new(StringComparer.Ordinal);
    private Dictionary<string, V1Deployment> deployments = new(StringComparer.Ordinal);
    private Dictionary<string, V1PersistentVolumeClaim> claims = new(StringComparer.Ordinal);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long version;
    private long readVersion = -1;

    /// <summary>An immutable copy of the state.</summary>
    /// <param name="Complete">Every watch has listed once, so a missing object is really missing.</param>
    /// <param name="Deployments">Deployments by name.</param>
    /// <param name="Claims">PVCs by name.</param>
    /// <param name="Pods">Pods by the Deployment that selects them.</param>
    public sealed record View(
        bool Complete,
        IReadOnlyDictionary<string, V1Deployment> Deployments,
        IReadOnlyDictionary<string, V1PersistentVolumeClaim> Claims,
        IReadOnlyDictionary<string, IReadOnlyList<V1Pod>> Pods)
    {
        /// <summary>The pods selected by a Deployment, by name.</summary>
        public IReadOnlyList<V1Pod> PodsOf(string deployment) => Pods.GetValueOrDefault(deployment) ?? [];
    }

    public void ReplaceDeployments(IReadOnlyList<V1Deployment> items) =>
        Change(() =>
        {
            listed.Add("deployments");
            deployments = items.ToDictionary(d => d.Metadata.Name, StringComparer.Ordinal);
        });

    public void OnDeployment(WatchEventType type, V1Deployment item) => Change(() => Apply(deployments, type, item));

    public void ReplaceClaims(IReadOnlyList<V1PersistentVolumeClaim> items) =>
        Change(() =>
        {
            listed.Add("claims");
            claims = items.ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        });

    public void OnClaim(WatchEventType type, V1PersistentVolumeClaim item) => Change(() => Apply(claims, type, item));

    /// <summary>The listed pods of one pod watch, shared out to the Deployments whose selectors match them.</summary>
    public void ReplacePods(IReadOnlyDictionary<string, string> watchSelector, IReadOnlyList<DeploymentTarget> members, IReadOnlyList<V1Pod> items) =>
        Change(() =>
        {
            listed.Add("pods/" + string.Join(",", watchSelector.Select(kv => $"{kv.Key}={kv.Value}")));
            foreach (var member in members)
                pods[member.Name] = items.Where(p => Selects(member, p)).ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        });

    /// <summary>One pod event, for every Deployment it belongs to (and out of any whose selector no longer matches it).</summary>
    public void OnPod(IReadOnlyList<DeploymentTarget> members, WatchEventType type, V1Pod item) => Change(() =>
    {
        foreach (var member in members)
        {
            if (!pods.TryGetValue(member.Name, out var set)) pods[member.Name] = set = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
            Apply(set, Selects(member, item) ? type : WatchEventType.Deleted, item);
        }
    });

    private static bool Selects(DeploymentTarget deployment, V1Pod pod) =>
        deployment.Selector.All(kv => pod.Metadata.Labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value);

    /// <summary>Copies the state and marks it as seen.</summary>
    public View Read()
    {
        lock (gate)
        {
            readVersion = version;
            return new View(
                listed.Count >= sources,
                new Dictionary<string, V1Deployment>(deployments),
                new Dictionary<string, V1PersistentVolumeClaim>(claims),
                pods.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<V1Pod>)kv.Value.Values.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList()));
        }
    }

    /// <summary>Returns when the state changed since the last <see cref="Read"/>, a watch ended, or <paramref name="wake"/> passed.</summary>
    public async Task WaitForChangeAsync(TimeSpan wake, IEnumerable<Task> watches, TimeProvider time, CancellationToken cancellationToken)
    {
        Task signal;
        lock (gate)
        {
            if (version != readVersion) return;
            signal = changed.Task;
        }
        using var delayScope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wake > TimeSpan.Zero ? wake : TimeSpan.Zero, time, delayScope.Token);
        await Task.WhenAny(watches.Append(signal).Append(delay)).ConfigureAwait(false);
        await delayScope.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Change(Action mutation)
    {
        TaskCompletionSource fired;
        lock (gate)
        {
            mutation();
            version++;
            fired = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        fired.TrySetResult();
    }

    private static void Apply<T>(Dictionary<string, T> set, WatchEventType type, T item) where T : IKubernetesObject<V1ObjectMeta>
    {
        if (type == WatchEventType.Deleted) set.Remove(item.Metadata.Name);
        else set[item.Metadata.Name] = item;
    }
}
