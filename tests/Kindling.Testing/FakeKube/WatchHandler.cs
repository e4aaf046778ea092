using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// <c>?watch=true</c>: a chunked stream of <c>{"type":...,"object":...}</c> lines. Without a resourceVersion (or
/// with "0") the current objects come first as ADDED; with one, the stream replays history after it, or sends a
/// single ERROR event carrying a 410 Expired Status when that version is no longer in the window.
/// An object moving into a filtered watch's selector appears as ADDED, moving out as DELETED.
/// </summary>
internal static class WatchHandler
{
    public static async Task WatchAsync(HttpContext context, FakeKubeServer server, RequestInfo info)
    {
        var type = info.Resource!;
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"], type);
        var ns = type.Namespaced ? info.Namespace : null;
        var nameFilter = info.Name;
        var bookmarks = query["allowWatchBookmarks"] is ["true"];
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;
        var rvText = query["resourceVersion"].FirstOrDefault();

        bool Matches(JsonObject? obj) =>
            obj is not null
            && (ns is null || Json.Namespace(obj) == ns)
            && (nameFilter is null || Json.Name(obj) == nameFilter)
            && labels.Matches(Json.Labels(obj))
            && fields.Matches(obj);

        Subscription subscription;
        var first = new List<(string Type, JsonObject Object)>();
        ApiException? gone = null;
        lock (server.Store.Gate)
        {
            if (string.IsNullOrEmpty(rvText) || rvText == "0")
            {
                first.AddRange(server.Store.All(type, ns).Where(Matches).Select(o => ("ADDED", o)));
                subscription = server.Store.Hub.Subscribe(type, null, out _);
            }
            else
            {
                if (!long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw ApiException.BadRequest($"invalid resource version: {rvText}");
                }

                try
                {
                    subscription = server.Store.Hub.Subscribe(type, from, out var backlog);
                    first.AddRange(backlog.Select(e => Translate(e, Matches)).Where(x => x is not null).Select(x => x!.Value));
                }
                catch (ApiException e) when (e.Code == 410)
                {
                    gone = e;
                    subscription = null!;
                }
            }
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var body = context.Response.Body;
        var aborted = context.RequestAborted;
        if (gone is not null)
        {
            await WriteEventAsync(body, "ERROR", gone.ToStatus(), aborted);
            return;
        }

        using (subscription)
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted, server.Stopping))
        {
            deadline.CancelAfter(timeout);
            await context.Response.StartAsync(aborted);
            foreach (var (kind, obj) in first)
            {
                await WriteEventAsync(body, kind, obj, aborted);
            }

            var reader = subscription.Channel.Reader;
            try
            {
                while (true)
                {
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    if (bookmarks)
                    {
                        tick.CancelAfter(server.Options.BookmarkInterval);
                    }

                    bool more;
                    try
                    {
                        more = await reader.WaitToReadAsync(tick.Token);
                    }
                    catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                    {
                        await WriteEventAsync(body, "BOOKMARK", Bookmark(type, server.ResourceVersion), aborted);
                        continue;
                    }

                    if (!more)
                    {
                        // Dropped by fault injection: cut the connection instead of ending the chunked body cleanly.
                        context.Abort();
                        return;
                    }

                    while (reader.TryRead(out var e))
                    {
                        if (Translate(e, Matches) is { } output)
                        {
                            await WriteEventAsync(body, output.Type, output.Object, aborted);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !aborted.IsCancellationRequested)
            {
                // timeoutSeconds elapsed or the server is stopping: end the stream cleanly, as the apiserver does.
            }
        }
    }

    private static (string Type, JsonObject Object)? Translate(StoredEvent e, Func<JsonObject?, bool> matches)
    {
        var now = e.Type != "DELETED" && matches(e.Object);
        var before = e.Previous is not null && matches(e.Previous);
        return e.Type switch
        {
            "ADDED" when now => ("ADDED", e.Object),
            "MODIFIED" when now && before => ("MODIFIED", e.Object),
            "MODIFIED" when now => ("ADDED", e.Object),
            "MODIFIED" when before => ("DELETED", e.Object),
            "DELETED" when before => ("DELETED", e.Object),
            _ => null,
        };
    }

    private static JsonObject Bookmark(ResourceType type, long rv) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
    };

    private static async Task WriteEventAsync(Stream body, string type, JsonObject obj, CancellationToken cancellationToken)
    {
        var line = "{\"type\":\"" + type + "\",\"object\":" + obj.ToJsonString() + "}\n";
        await body.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}
