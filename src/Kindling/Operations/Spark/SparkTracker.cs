using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>
/// The in-memory view of every Spark pod of a namespace, fed by one namespace-wide watch on
/// <c>spark-app-selector</c>. Each event re-derives only the application it touches and reports it when its
/// state changed, so the cost per event does not grow with the number of applications. Pods arrive as
/// <see cref="PodView"/>s and are kept as the small pods they project to (no spec, no managedFields, only the
/// annotations the derivation reads), so memory per tracked application does not grow with the pods' size.
/// </summary>
internal sealed class SparkTracker
{
    private readonly Dictionary<string, Dictionary<string, V1Pod>> podsByApp = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SparkApplication> apps = new(StringComparer.Ordinal);

    // The last state of applications that had a driver pod. Once the driver is deleted its executors linger
    // until the garbage collector removes them; they must not turn the application into a "client-mode" one.
    private readonly Dictionary<string, SparkApplication> withDriver = new(StringComparer.Ordinal);

    /// <summary>Every application currently known.</summary>
    public IReadOnlyCollection<SparkApplication> Applications => apps.Values;

    /// <summary>Replaces the whole view after a (re)list of pod views; returns the applications whose state changed.</summary>
    public IReadOnlyList<SparkApplication> ReplaceViews(IReadOnlyList<PodView> pods) => Replace(pods.Select(Slim).ToList());

    /// <summary>Applies one watch event carrying a pod view; returns the application when its derived state changed.</summary>
    public SparkApplication? Apply(WatchEventType type, PodView pod) => Apply(type, Slim(pod));

    private static V1Pod Slim(PodView pod) => pod.ToPod(SparkApplicationStates.ReadsAnnotation);

    /// <summary>Replaces the whole view after a (re)list; returns the applications whose state changed.</summary>
    public IReadOnlyList<SparkApplication> Replace(IReadOnlyList<V1Pod> pods)
    {
        var before = new Dictionary<string, SparkApplication>(apps, StringComparer.Ordinal);
        podsByApp.Clear();
        apps.Clear();
        var hadDriver = new Dictionary<string, SparkApplication>(withDriver, StringComparer.Ordinal);
        withDriver.Clear();
        foreach (var group in SparkApplicationStates.GroupByApp(pods))
            foreach (var pod in group)
                PodsOf(group.Key)[Key(pod)] = pod;
        var changed = new List<SparkApplication>();
        foreach (var appId in podsByApp.Keys.ToList())
        {
            if (hadDriver.TryGetValue(appId, out var last)) withDriver[appId] = last;
            if (Derive(appId) is { } app && !(before.TryGetValue(appId, out var old) && old == app))
                changed.Add(app);
        }
        // Applications that vanished while the watch was down: report unfinished ones as deleted.
        foreach (var (appId, last) in hadDriver)
            if (!podsByApp.ContainsKey(appId) && !last.IsFinished)
                changed.Add(Deleted(last, 0));
        return changed;
    }

    /// <summary>Applies one watch event; returns the application when its derived state changed.</summary>
    public SparkApplication? Apply(WatchEventType type, V1Pod pod)
    {
        if (SparkApplicationStates.AppIdOf(pod) is not { } appId) return null;
        var pods = PodsOf(appId);
        if (type == WatchEventType.Deleted) pods.Remove(Key(pod));
        else pods[Key(pod)] = pod;
        apps.TryGetValue(appId, out var old);
        var app = Derive(appId);
        return app is not null && app != old ? app : null;
    }

    private SparkApplication? Derive(string appId)
    {
        var pods = PodsOf(appId);
        if (pods.Count == 0)
        {
            podsByApp.Remove(appId);
            apps.Remove(appId);
            // A driver deleted before it finished (kindling kill, kubectl delete) ends the application.
            return withDriver.Remove(appId, out var last) && !last.IsFinished ? Deleted(last, 0) : null;
        }
        var app = SparkApplicationStates.FromAppPods(appId, pods.Values);
        if (app is null)
        {
            apps.Remove(appId);
            return null;
        }
        if (!app.ClientMode) withDriver[appId] = app;
        else if (withDriver.TryGetValue(appId, out var last))
            withDriver[appId] = app = last.IsFinished ? last with { ExecutorsRunning = app.ExecutorsRunning } : Deleted(last, app.ExecutorsRunning);
        apps[appId] = app;
        return app;
    }

    private static SparkApplication Deleted(SparkApplication last, int executorsRunning) => last with
    {
        State = SparkApplicationState.Failed,
        Reason = "Deleted",
        Message = "the driver pod was deleted before the application finished",
        ExecutorsRunning = executorsRunning,
    };

    private Dictionary<string, V1Pod> PodsOf(string appId)
    {
        if (!podsByApp.TryGetValue(appId, out var pods)) podsByApp[appId] = pods = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        return pods;
    }

    private static string Key(V1Pod pod) => pod.Metadata.Uid ?? pod.Metadata.Name;
}
