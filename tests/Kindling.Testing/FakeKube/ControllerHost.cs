using System.Collections.Concurrent;

namespace Kindling.Testing.FakeKube;

/// <summary>How PVCs bind: at once (Immediate), once a scheduled pod uses them (WaitForFirstConsumer), or never.</summary>
public enum VolumeBindingMode
{
    Immediate,
    WaitForFirstConsumer,
    Never,
}

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

    /// <summary>PVC binding behaviour; default Immediate.</summary>
    public VolumeBindingMode VolumeBinding { get; set; } = VolumeBindingMode.Immediate;

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
