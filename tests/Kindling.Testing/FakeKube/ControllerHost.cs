using System.Collections.Concurrent;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Runs the mini controllers on one background loop fed by every committed change: garbage collector,
/// namespace lifecycle, deployment + replica set, scheduler/kubelet stand-in and PVC binder.
/// Each can be switched off. Controllers act through the same object API as clients do.
/// </summary>
public sealed class ControllerHost
{
    private readonly FakeKubeServer _server;
    private readonly ConcurrentQueue<string> _errors = new();
    private Subscription? _subscription;
    private Task? _loop;

    internal ControllerHost(FakeKubeServer server)
    {
        _server = server;
        GarbageCollector = new GarbageCollector(server);
        NamespaceLifecycle = new NamespaceController(server, this);
        Workloads = new WorkloadController(server);
        Kubelet = new SchedulerAndKubelet(server);
        Volumes = new VolumeController(server, this);
    }

    /// <summary>Cascading deletion through ownerReferences.</summary>
    public bool GarbageCollection { get; set; } = true;

    /// <summary>Namespace deletion: Terminating, then contents removed, then the namespace.</summary>
    public bool Namespaces { get; set; } = true;

    /// <summary>Deployment -> ReplicaSet -> Pods, and their status.</summary>
    public bool Deployments { get; set; } = true;

    /// <summary>New pods get a node (PodScheduled) and ContainerCreating status; see also <see cref="PodControl.AutoReady"/>.</summary>
    public bool Scheduling { get; set; } = true;

    /// <summary>
    /// Provisioners (a StorageClass's <c>provisioner</c>, e.g. <c>ebs.csi.aws.com</c>) that are not running: claims of
    /// their classes stay Pending with the ExternalProvisioning event. PVC binding otherwise follows each claim's
    /// StorageClass (see <see cref="FakeKubeOptions.DefaultStorageClass"/>).
    /// </summary>
    public ISet<string> StoppedProvisioners { get; } = new ConcurrentSet();

    /// <summary>How long a deleted namespace stays Terminating before its contents go.</summary>
    public TimeSpan NamespaceFinalizeDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Ends the Terminating phase of every namespace being deleted now, without waiting for the delay.</summary>
    public void FinalizeNamespaces() => NamespaceLifecycle.FinalizeAll();

    /// <summary>Errors controllers hit (conflicts are retried on the next event); useful when debugging a test.</summary>
    public IReadOnlyCollection<string> Errors => _errors.ToArray();

    internal GarbageCollector GarbageCollector { get; }

    internal NamespaceController NamespaceLifecycle { get; }

    internal WorkloadController Workloads { get; }

    internal SchedulerAndKubelet Kubelet { get; }

    internal VolumeController Volumes { get; }

    internal void Start()
    {
        lock (_server.Store.Gate)
        {
            _subscription = _server.Store.Hub.Subscribe(null, null, out _);
        }

        _loop = Task.Run(RunAsync);
    }

    internal async Task StopAsync()
    {
        _subscription?.Channel.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _subscription?.Dispose();
    }

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> on the thread pool, recording failures.</summary>
    internal void Later(TimeSpan delay, Action action) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, _server.Stopping);
                Guard(action);
            }
            catch (OperationCanceledException)
            {
                // Server stopping.
            }
        });

    private async Task RunAsync()
    {
        var reader = _subscription!.Channel.Reader;
        try
        {
            await foreach (var e in reader.ReadAllAsync(_server.Stopping))
            {
                if (GarbageCollection)
                {
                    Guard(() => GarbageCollector.OnEvent(e));
                }

                if (Namespaces)
                {
                    Guard(() => NamespaceLifecycle.OnEvent(e));
                }

                if (Deployments)
                {
                    Guard(() => Workloads.OnEvent(e));
                }

                if (Scheduling)
                {
                    Guard(() => Kubelet.OnEvent(e));
                }

                Guard(() => Volumes.OnEvent(e));
            }
        }
        catch (OperationCanceledException)
        {
            // Server stopping.
        }
    }

    private void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (ApiException e)
        {
            _errors.Enqueue($"{e.Code} {e.Reason}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException or NullReferenceException or InvalidCastException)
        {
            // A controller bug must not stop the loop; tests can inspect Errors.
            _errors.Enqueue(e.ToString());
        }
    }
}

/// <summary>A small thread-safe set: tests change it while the controller loop reads it.</summary>
internal sealed class ConcurrentSet : ISet<string>
{
    private readonly ConcurrentDictionary<string, byte> _items = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    public bool IsReadOnly => false;

    public bool Add(string item) => _items.TryAdd(item, 0);

    void ICollection<string>.Add(string item) => Add(item);

    public void Clear() => _items.Clear();

    public bool Contains(string item) => _items.ContainsKey(item);

    public void CopyTo(string[] array, int arrayIndex) => _items.Keys.CopyTo(array, arrayIndex);

    public bool Remove(string item) => _items.TryRemove(item, out _);

    public IEnumerator<string> GetEnumerator() => _items.Keys.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public void ExceptWith(IEnumerable<string> other) { foreach (var i in other) Remove(i); }

    public void UnionWith(IEnumerable<string> other) { foreach (var i in other) Add(i); }

    public void IntersectWith(IEnumerable<string> other) => throw new NotSupportedException();

    public void SymmetricExceptWith(IEnumerable<string> other) => throw new NotSupportedException();

    public bool IsProperSubsetOf(IEnumerable<string> other) => throw new NotSupportedException();

    public bool IsProperSupersetOf(IEnumerable<string> other) => throw new NotSupportedException();

    public bool IsSubsetOf(IEnumerable<string> other) => throw new NotSupportedException();

    public bool IsSupersetOf(IEnumerable<string> other) => throw new NotSupportedException();

    public bool Overlaps(IEnumerable<string> other) => other.Any(Contains);

    public bool SetEquals(IEnumerable<string> other) => throw new NotSupportedException();
}
