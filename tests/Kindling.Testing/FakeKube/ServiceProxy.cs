using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// <c>GET /api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{path}</c>, as the apiserver's service
/// proxy answers it: the Service's port (by name or number, the only one when not given), a Ready pod the selector
/// matches (its endpoint), the target port (named ports resolved in the pod's containers), then an HTTP request to
/// what stands in for that pod's port in <see cref="PortForwardMap"/>. No ready endpoint is 503 "no endpoints
/// available"; nothing listening is 503 "connection refused", as the real proxy reports a failed dial.
/// </summary>
internal static class ServiceProxyHandler
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task HandleAsync(HttpContext context, FakeKubeServer server, RequestInfo info)
    {
        var ns = info.Namespace ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        if (context.Request.Method != "GET") throw ApiException.MethodNotAllowed("the fake service proxy forwards GET only");
        var parts = info.Name!.Split(':');
        var (name, portSpec) = parts switch
        {
            [var n] => (n, (string?)null),
            [var n, var p] => (n, p),
            [_, var n, var p] => (n, p),
            _ => throw ApiException.BadRequest($"invalid service request name \"{info.Name}\""),
        };
        var service = server.Api.Get(ResourceCatalog.Services, ns, name);
        var ports = service["spec"]?["ports"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        var port = portSpec is null
            ? (ports.Count == 1 ? ports[0] : null)
            : ports.FirstOrDefault(p => Json.Str(p, "name") == portSpec || p["port"]?.ToString() == portSpec);
        if (port is null) throw new ApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{info.Name}\"");

        var selector = LabelSelector.FromObject(service["spec"]?["selector"] is JsonObject s ? new JsonObject { ["matchLabels"] = s.DeepClone() } : null);
        var pod = server.Api.List(ResourceCatalog.Pods, ns).Items.FirstOrDefault(p =>
            !selector.IsEverything && selector.Matches(Json.Labels(p)) && p["metadata"]?["deletionTimestamp"] is null && IsReady(p));
        if (pod is null) throw new ApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{name}\"");

        var targetPort = TargetPort(port, pod);
        var backend = server.PortForward.Find(ns, Json.Name(pod), targetPort);
        var podIp = Json.Str(pod["status"], "podIP") ?? "10.0.0.1";
        if (backend is not IPEndPoint endpoint)
            throw new ApiException(503, "ServiceUnavailable", $"error trying to reach service: dial tcp {podIp}:{targetPort}: connect: connection refused");

        var path = context.Request.Path.Value ?? "";
        var at = path.IndexOf("/proxy", StringComparison.Ordinal) + "/proxy".Length;
        // Go's net/http hands the apiserver a decoded path, so an escaped '/' in the proxied path is a '/'.
        var rest = Uri.UnescapeDataString(path[at..]);
        var target = new Uri($"http://{endpoint.Address}:{endpoint.Port}{(rest.Length == 0 ? "/" : rest)}{context.Request.QueryString.Value}");
        HttpResponseMessage answer;
        try
        {
            answer = await Http.GetAsync(target, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            throw new ApiException(503, "ServiceUnavailable", $"error trying to reach service: dial tcp {podIp}:{targetPort}: connect: connection refused");
        }
        using (answer)
        {
            context.Response.StatusCode = (int)answer.StatusCode;
            if (answer.Content.Headers.ContentType is { } type) context.Response.ContentType = type.ToString();
            await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private static bool IsReady(JsonObject pod) =>
        Json.Str(pod["status"], "phase") == "Running" &&
        (pod["status"]?["conditions"]?.AsArray().OfType<JsonObject>().Any(c => Json.Str(c, "type") == "Ready" && Json.Str(c, "status") == "True") ?? false);

    private static int TargetPort(JsonObject servicePort, JsonObject pod)
    {
        var target = servicePort["targetPort"] ?? servicePort["port"];
        if (target is JsonValue v && v.TryGetValue<int>(out var number)) return number;
        var named = target?.ToString();
        if (int.TryParse(named, NumberStyles.None, CultureInfo.InvariantCulture, out number)) return number;
        foreach (var container in pod["spec"]?["containers"]?.AsArray().OfType<JsonObject>() ?? [])
            foreach (var p in container["ports"]?.AsArray().OfType<JsonObject>() ?? [])
                if (Json.Str(p, "name") == named && p["containerPort"] is JsonValue cp && cp.TryGetValue<int>(out var containerPort)) return containerPort;
        throw new ApiException(503, "ServiceUnavailable", $"no endpoints available for service: named port \"{named}\" is not on pod {Json.Name(pod)}");
    }
}
