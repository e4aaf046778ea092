using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Kindling.Testing.FakeKube;

/// <summary>One committed change, as watchers see it. <see cref="Previous"/> lets a filtered watch notice an
/// object moving into or out of its selector (the apiserver turns those into ADDED/DELETED).</summary>
internal sealed record StoredEvent(string Type, ResourceType Resource, JsonObject Object, JsonObject? Previous, long ResourceVersion);

/// <summary>A live watch: events arrive on <see cref="Events"/>; the channel completes when the watch is dropped.</summary>
internal sealed class Subscription : IDisposable
{
    private readonly WatchHub _hub;

    public Subscription(WatchHub hub, ResourceType? resource)
    {
        _hub = hub;
        Resource = resource;
    }

    public ResourceType? Resource { get; }

    public Channel<StoredEvent> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<StoredEvent>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>True when the fake dropped this watch on purpose (fault injection): the stream is cut without a clean end.</summary>
    public bool Dropped { get; set; }

    public void Dispose() => _hub.Unsubscribe(this);
}

/// <summary>
/// Fan-out of committed changes plus a bounded history, so a watch can resume from a resourceVersion until that
/// version falls out of the window; older starts get 410 Gone ("too old resource version"), as with etcd compaction.
/// All members are called under the store's lock.
/// </summary>
internal sealed class WatchHub
{
    private readonly LinkedList<StoredEvent> _history = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly object _subscriptionsGate = new();

    public int Capacity { get; set; } = 2000;

    /// <summary>The newest resourceVersion no longer covered by the history.</summary>
    public long CompactedThrough { get; private set; }

    public void Publish(StoredEvent e)
    {
        _history.AddLast(e);
        while (_history.Count > Capacity)
        {
            CompactedThrough = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }

        lock (_subscriptionsGate)
        {
            foreach (var s in _subscriptions)
            {
                if (s.Resource is null || s.Resource == e.Resource)
                {
                    s.Channel.Writer.TryWrite(e);
                }
            }
        }
    }

    /// <summary>Subscribes and returns the events after <paramref name="fromRv"/> still in the history.</summary>
    public Subscription Subscribe(ResourceType? resource, long? fromRv, out List<StoredEvent> backlog)
    {
        backlog = [];
        if (fromRv is { } from)
        {
            if (from < CompactedThrough)
            {
                throw ApiException.Gone($"too old resource version: {from} ({CompactedThrough + 1})");
            }

            backlog.AddRange(_history.Where(e => e.ResourceVersion > from && (resource is null || e.Resource == resource)));
        }

        var subscription = new Subscription(this, resource);
        lock (_subscriptionsGate)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    public void Unsubscribe(Subscription subscription)
    {
        lock (_subscriptionsGate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    /// <summary>Forgets the history so any watch from an earlier resourceVersion gets 410.</summary>
    public void Expire(long currentRv)
    {
        _history.Clear();
        CompactedThrough = currentRv;
    }

    /// <summary>Ends every client watch abruptly (internal controller subscriptions are kept).</summary>
    public int DropClientWatches()
    {
        lock (_subscriptionsGate)
        {
            var dropped = 0;
            foreach (var s in _subscriptions.Where(s => s.Resource is not null))
            {
                s.Dropped = true;
                s.Channel.Writer.TryComplete();
                dropped++;
            }

            return dropped;
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (_subscriptionsGate)
            {
                return _subscriptions.Count(s => s.Resource is not null);
            }
        }
    }
}
