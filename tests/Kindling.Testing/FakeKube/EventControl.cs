using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kindling.Testing.FakeKube;

/// <summary>Records core/v1 Events about an object, as the scheduler or kubelet would.</summary>
public sealed class EventControl
{
    private readonly FakeKubeServer _server;

    internal EventControl(FakeKubeServer server) => _server = server;

    /// <summary>Adds an Event whose involvedObject is the stored object of kind T named <paramref name="name"/>.</summary>
    public void Add<T>(string ns, string name, string reason, string message, string type = "Warning", string component = "kubelet")
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var resource = ObjectControl.TypeOf<T>();
        var obj = _server.Api.TryGet(resource, ns, name) ?? new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion,
            ["kind"] = resource.Kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        };
        Add(obj, reason, message, type, component);
    }

    internal void Add(JsonObject involved, string reason, string message, string type, string component)
    {
        var ns = Json.Namespace(involved) is { Length: > 0 } n ? n : "default";
        var now = _server.Api.Now;
        var involvedObject = new JsonObject
        {
            ["kind"] = Json.Str(involved, "kind"),
            ["namespace"] = ns,
            ["name"] = Json.Name(involved),
            ["apiVersion"] = Json.Str(involved, "apiVersion"),
        };
        if (Json.Uid(involved) is { } uid)
        {
            involvedObject["uid"] = uid;
            involvedObject["resourceVersion"] = Json.Str(involved["metadata"], "resourceVersion");
        }

        _server.Api.Create(ResourceCatalog.Events, ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"{Json.Name(involved)}.{Guid.NewGuid():N}"[..Math.Min(253, Json.Name(involved).Length + 17)] },
            ["involvedObject"] = involvedObject,
            ["reason"] = reason,
            ["message"] = message,
            ["type"] = type,
            ["count"] = 1,
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["source"] = new JsonObject { ["component"] = component },
            ["reportingComponent"] = component,
        }, new WriteOptions(component));
    }
}
