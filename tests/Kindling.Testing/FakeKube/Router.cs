using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// The request pipeline: authentication (bearer token), request log, latency and injected faults, discovery,
/// authorization, then dispatch by verb and subresource. Errors become <c>Status</c> bodies.
/// </summary>
internal static class Router
{
    public static void Map(WebApplication app, FakeKubeServer server)
    {
        app.MapGet("/version", () => Results.Json(Discovery.Version(server.Options.KubernetesVersion)));
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => Results.Text("ok"));
        app.MapGet("/livez", () => Results.Text("ok"));
        app.Map("/api/{**rest}", context => HandleAsync(context, server));
        app.Map("/api", context => HandleAsync(context, server));
        app.Map("/apis/{**rest}", context => HandleAsync(context, server));
        app.Map("/apis", context => HandleAsync(context, server));
        app.MapFallback(context => WriteAsync(context, 404, Status.Failure(404, "NotFound", "the server could not find the requested resource")));
    }

    private static async Task HandleAsync(HttpContext context, FakeKubeServer server)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var query = request.Query;
        var info = RequestInfo.Parse(request.Method, path, query["watch"] is ["true" or "1"]);
        var record = new RecordedRequest(
            request.Method, path, request.QueryString.Value ?? "", request.ContentType,
            query["fieldManager"].FirstOrDefault(), info?.Verb ?? request.Method.ToLowerInvariant(),
            info?.Resource?.Plural, info?.Subresource, info?.Namespace, info?.Name)
        {
            Protocol = request.Protocol,
        };

        if (request.Headers.Authorization.ToString() != "Bearer " + server.Token)
        {
            record.StatusCode = 401;
            server.Requests.Add(record);
            server.Requests.Finished(record);
            await WriteAsync(context, 401, Status.Failure(401, "Unauthorized", "Unauthorized"));
            return;
        }

        server.Requests.Add(record);
        // The wave closes as the answer starts: the client cannot send a request that depends on it any earlier.
        context.Response.OnStarting(() =>
        {
            server.Requests.Finished(record);
            return Task.CompletedTask;
        });
        try
        {
            if (server.Faults.Latency > TimeSpan.Zero)
            {
                await Task.Delay(server.Faults.Latency, context.RequestAborted);
            }

            if (server.Faults.TryTake(record, out var faultCode))
            {
                if (faultCode == 429)
                {
                    context.Response.Headers.RetryAfter = server.Faults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                throw FaultInjector.ErrorFor(faultCode, server.Faults.RetryAfterSeconds);
            }

            if (info is null || !info.IsResourceRequest)
            {
                var document = Discovery.Describe(path, server.Crds.Serves);
                if (document is null)
                {
                    throw new ApiException(404, "NotFound", "the server could not find the requested resource");
                }

                await WriteAsync(context, 200, document);
                return;
            }

            // A custom resource is served only while its CRD is installed, as on a real cluster.
            if (!info.Known || !server.Crds.Serves(info.Resource!))
            {
                throw new ApiException(404, "NotFound", "the server could not find the requested resource");
            }

            if (!server.Permissions.IsAllowed(info.Verb, info.Resource!.Plural, info.Subresource, info.Namespace))
            {
                throw server.Permissions.Forbidden(info);
            }

            if (server.Faults.TryTakeLostResponse(record, out var lost))
            {
                await DispatchLosingResponseAsync(context, server, info, lost);
                return;
            }

            await DispatchAsync(context, server, info);
        }
        catch (ApiException e)
        {
            if (!context.Response.HasStarted)
            {
                await WriteAsync(context, e.Code, e.ToStatus());
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (closed watch, cancelled follow); nothing to answer.
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            // A bug in the fake or a body it cannot read: answer like the apiserver's panic handler, with a Status.
            if (!context.Response.HasStarted)
            {
                await WriteAsync(context, 500, Status.Failure(500, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}"));
            }
        }
        finally
        {
            record.StatusCode = context.Response.StatusCode;
            server.Requests.Finished(record);
        }
    }

    /// <summary>
    /// The request is carried out in full (the write is applied and visible to watches), then its answer is lost:
    /// replaced by a 500, or the connection is cut, as when an apiserver or a proxy in front of it fails after
    /// the write reached etcd.
    /// </summary>
    private static async Task DispatchLosingResponseAsync(HttpContext context, FakeKubeServer server, RequestInfo info, LostResponse lost)
    {
        var original = context.Response.Body;
        context.Response.Body = new MemoryStream();
        try
        {
            await DispatchAsync(context, server, info);
        }
        catch (ApiException)
        {
            // The outcome of the request does not matter: its answer never arrives.
        }
        finally
        {
            context.Response.Body = original;
        }

        if (lost == LostResponse.DropConnection)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        await WriteAsync(context, 500, Status.Failure(500, "InternalError", "Internal error occurred: injected fault after the write was applied"));
    }

    private static Task DispatchAsync(HttpContext context, FakeKubeServer server, RequestInfo info)
    {
        var type = info.Resource!;
        if (ResourceCatalog.IsReview(type))
        {
            return info.Verb == "create"
                ? type == ResourceCatalog.SelfSubjectAccessReviews ? CrudHandlers.AccessReviewAsync(context, server) : CrudHandlers.RulesReviewAsync(context, server)
                : throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }

        return (info.Verb, info.Subresource) switch
        {
            ("list", null) => CrudHandlers.ListAsync(context, server, info),
            ("watch", null) => WatchHandler.WatchAsync(context, server, info),
            ("get", null or "status") => CrudHandlers.GetAsync(context, server, info),
            ("get", "log") when type == ResourceCatalog.Pods => LogHandler.LogAsync(context, server, info),
            ("get" or "create", "portforward") when type == ResourceCatalog.Pods => PortForwardHandler.HandleAsync(context, server, info),
            ("get", "proxy") when type == ResourceCatalog.Services => ServiceProxyHandler.HandleAsync(context, server, info),
            ("create", null) when info.Name is null => CrudHandlers.CreateAsync(context, server, info),
            ("update", null or "status") => CrudHandlers.UpdateAsync(context, server, info),
            ("patch", null or "status") => CrudHandlers.PatchAsync(context, server, info),
            ("delete", null) => CrudHandlers.DeleteAsync(context, server, info),
            ("deletecollection", null) => CrudHandlers.DeleteCollectionAsync(context, server, info),
            _ => throw new ApiException(404, "NotFound", "the server could not find the requested resource"),
        };
    }

    public static async Task WriteAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
