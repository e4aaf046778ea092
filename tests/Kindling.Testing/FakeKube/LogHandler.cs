using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// <c>pods/{name}/log</c> with <c>container</c>, <c>follow</c>, <c>tailLines</c>, <c>previous</c>, answering the
/// kubelet's 400s: container required for multi-container pods, container still waiting to start, no previous
/// instance. A follow ends when the container terminates or the pod goes away.
/// </summary>
internal static class LogHandler
{
    public static async Task LogAsync(HttpContext context, FakeKubeServer server, RequestInfo info)
    {
        var ns = info.Namespace ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        var name = info.Name!;
        var query = context.Request.Query;
        var pod = server.Api.Get(ResourceCatalog.Pods, ns, name);
        var container = ResolveContainer(pod, name, query["container"].FirstOrDefault());
        var previous = query["previous"] is ["true"];
        var follow = query["follow"] is ["true"] && !previous;
        int? tail = int.TryParse(query["tailLines"], out var t) && t >= 0 ? t : null;

        if (previous)
        {
            if (server.Logs.Read(ns, name, container, previous: true) is not { } old)
            {
                throw ApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{name}\" not found");
            }

            await WriteTextAsync(context, Tail(old, tail));
            return;
        }

        var (started, waitingReason) = State(pod, container);
        if (!started)
        {
            throw ApiException.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: {waitingReason}");
        }

        var text = server.Logs.Read(ns, name, container, previous: false) ?? "";
        if (!follow)
        {
            await WriteTextAsync(context, Tail(text, tail));
            return;
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.StartAsync(context.RequestAborted);
        var sent = text.Length;
        await WriteChunkAsync(context, Tail(text, tail));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, server.Stopping);
        while (!stop.IsCancellationRequested)
        {
            var changed = server.Logs.Changed;
            var current = server.Api.TryGet(ResourceCatalog.Pods, ns, name);
            var now = server.Logs.Read(ns, name, container, previous: false) ?? "";
            if (now.Length > sent)
            {
                await WriteChunkAsync(context, now[sent..]);
                sent = now.Length;
            }

            if (current is null || Json.Uid(current) != Json.Uid(pod) || IsTerminated(current, container))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(TimeSpan.FromMilliseconds(200), stop.Token);
            }
            catch (TimeoutException)
            {
                // Re-check the pod even without a log change (it may have been deleted).
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static string ResolveContainer(JsonObject pod, string name, string? requested)
    {
        var names = new[] { "initContainers", "containers" }
            .SelectMany(f => pod["spec"]?[f] as JsonArray ?? [])
            .Select(c => Json.Str(c, "name") ?? "")
            .ToList();
        var main = (pod["spec"]?["containers"] as JsonArray ?? []).Select(c => Json.Str(c, "name") ?? "").ToList();
        if (string.IsNullOrEmpty(requested))
        {
            return main.Count == 1
                ? main[0]
                : throw ApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", main)}]");
        }

        return names.Contains(requested) ? requested : throw ApiException.BadRequest($"container {requested} is not valid for pod {name}");
    }

    /// <summary>A container has logs once it has run: running, terminated, or waiting after a previous run (CrashLoopBackOff).</summary>
    private static (bool Started, string WaitingReason) State(JsonObject pod, string container)
    {
        var status = Status(pod, container);
        if (status?["state"]?["running"] is not null || status?["state"]?["terminated"] is not null || status?["lastState"]?["terminated"] is not null)
        {
            return (true, "");
        }

        return (false, Json.Str(status?["state"]?["waiting"], "reason") ?? "ContainerCreating");
    }

    private static bool IsTerminated(JsonObject pod, string container) => Status(pod, container)?["state"]?["terminated"] is not null;

    private static JsonNode? Status(JsonObject pod, string container) =>
        new[] { "containerStatuses", "initContainerStatuses" }
            .SelectMany(f => pod["status"]?[f] as JsonArray ?? [])
            .FirstOrDefault(s => Json.Str(s, "name") == container);

    private static string Tail(string text, int? lines)
    {
        if (lines is not { } n)
        {
            return text;
        }

        var all = text.Split('\n');
        var hasTrailingNewline = text.EndsWith('\n');
        var content = hasTrailingNewline ? all[..^1] : all;
        var kept = content.Skip(Math.Max(0, content.Length - n));
        var result = string.Join('\n', kept);
        return result.Length > 0 && hasTrailingNewline ? result + "\n" : result;
    }

    private static async Task WriteTextAsync(HttpContext context, string text)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static async Task WriteChunkAsync(HttpContext context, string text)
    {
        if (text.Length > 0)
        {
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }
}
