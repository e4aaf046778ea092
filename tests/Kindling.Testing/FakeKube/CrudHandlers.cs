using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kindling.Testing.FakeKube;

/// <summary>get, list, create, update, patch, delete and deletecollection over HTTP.</summary>
internal static class CrudHandlers
{
    public static async Task ListAsync(HttpContext context, FakeKubeServer server, RequestInfo info)
    {
        var type = info.Resource!;
        var query = context.Request.Query;
        var (items, rv) = server.Api.List(type, info.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], type));
        var metadata = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };

        // limit/continue: the continue token is the key of the last item served, so pages stay stable.
        if (int.TryParse(query["limit"], out var limit) && limit > 0)
        {
            var after = query["continue"].FirstOrDefault() is { Length: > 0 } token ? DecodeContinue(token) : null;
            var ordered = items.Where(i => after is null || string.CompareOrdinal(ObjectStore.Key(Json.Namespace(i), Json.Name(i)), after) > 0).ToList();
            if (ordered.Count > limit)
            {
                var last = ordered[limit - 1];
                metadata["continue"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(ObjectStore.Key(Json.Namespace(last), Json.Name(last))));
                metadata["remainingItemCount"] = ordered.Count - limit;
            }

            items = ordered.Take(limit).ToList();
        }

        var array = new JsonArray();
        foreach (var item in items)
        {
            // Items of a typed list carry no apiVersion/kind on the wire; the list's kind says what they are.
            item.Remove("apiVersion");
            item.Remove("kind");
            array.Add(item);
        }

        await Router.WriteAsync(context, 200, new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = array,
        });
    }

    private static string DecodeContinue(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw ApiException.BadRequest("continue key is not valid: illegal base64 data");
        }
    }

    public static Task GetAsync(HttpContext context, FakeKubeServer server, RequestInfo info) =>
        Router.WriteAsync(context, 200, server.Api.Get(info.Resource!, NamespaceFor(info), info.Name!));

    public static async Task CreateAsync(HttpContext context, FakeKubeServer server, RequestInfo info)
    {
        var body = Json.Parse(await ReadBodyAsync(context));
        var created = server.Api.Create(info.Resource!, NamespaceFor(info), body, Options(context));
        await Router.WriteAsync(context, 201, created);
    }

    public static async Task UpdateAsync(HttpContext context, FakeKubeServer server, RequestInfo info)
    {
        var body = Json.Parse(await ReadBodyAsync(context));
        var updated = server.Api.Update(info.Resource!, NamespaceFor(info), info.Name!, body, Options(context) with { Subresource = info.Subresource });
        await Router.WriteAsync(context, 200, updated);
    }

    public static async Task PatchAsync(HttpContext context, FakeKubeServer server, RequestInfo info)
    {
        var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        var options = Options(context) with { Subresource = info.Subresource };
        if (contentType == Patches.ApplyPatch && context.Request.Query["fieldManager"].FirstOrDefault() is not { Length: > 0 })
        {
            throw new ApiException(400, "BadRequest", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }

        var (obj, created) = server.Api.Patch(info.Resource!, NamespaceFor(info), info.Name!, contentType, await ReadBodyAsync(context), options);
        await Router.WriteAsync(context, created ? 201 : 200, obj);
    }

    public static async Task DeleteAsync(HttpContext context, FakeKubeServer server, RequestInfo info)
    {
        var (body, code) = server.Api.Delete(info.Resource!, NamespaceFor(info), info.Name!, await DeleteOptionsAsync(context));
        await Router.WriteAsync(context, code, body);
    }

    public static async Task DeleteCollectionAsync(HttpContext context, FakeKubeServer server, RequestInfo info)
    {
        var type = info.Resource!;
        var query = context.Request.Query;
        var result = server.Api.DeleteCollection(type, info.Namespace, LabelSelector.Parse(query["labelSelector"]),
            FieldSelector.Parse(query["fieldSelector"], type), await DeleteOptionsAsync(context));
        await Router.WriteAsync(context, 200, result);
    }

    public static async Task AccessReviewAsync(HttpContext context, FakeKubeServer server)
    {
        var review = Json.Parse(await ReadBodyAsync(context));
        await Router.WriteAsync(context, 201, server.Permissions.Review(review));
    }

    public static async Task RulesReviewAsync(HttpContext context, FakeKubeServer server)
    {
        var review = Json.Parse(await ReadBodyAsync(context));
        await Router.WriteAsync(context, 201, server.Permissions.RulesReview(review));
    }

    private static string? NamespaceFor(RequestInfo info)
    {
        if (info.Resource!.Namespaced && info.Namespace is null)
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }

        return info.Resource.Namespaced ? info.Namespace : null;
    }

    private static WriteOptions Options(HttpContext context)
    {
        var query = context.Request.Query;
        var manager = query["fieldManager"].FirstOrDefault() is { Length: > 0 } m ? m : DefaultManager(context);
        return new WriteOptions(manager, DryRun: query["dryRun"].Count > 0, Force: query["force"] is ["true"]);
    }

    /// <summary>Without fieldManager the apiserver names the manager after the User-Agent's product token.</summary>
    private static string DefaultManager(HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        var product = agent.Split('/', ' ')[0];
        return product.Length > 0 ? product : "unknown";
    }

    private static async Task<DeleteOptions> DeleteOptionsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var propagation = query["propagationPolicy"].FirstOrDefault();
        var dryRun = query["dryRun"].Count > 0;
        string? uid = null, rv = null;
        long? grace = null;
        var text = await ReadBodyAsync(context);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var body = Json.Parse(text);
            propagation ??= Json.Str(body, "propagationPolicy");
            dryRun |= body["dryRun"] is JsonArray { Count: > 0 };
            uid = Json.Str(body["preconditions"], "uid");
            rv = Json.Str(body["preconditions"], "resourceVersion");
            grace ??= Json.Long(body["gracePeriodSeconds"]);
            if (Json.Bool(body["orphanDependents"]) == true)
            {
                propagation ??= "Orphan";
            }
        }

        if (propagation is not (null or "Background" or "Foreground" or "Orphan"))
        {
            throw new ApiException(422, "Invalid", $"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{propagation}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        grace = long.TryParse(query["gracePeriodSeconds"], out var g) ? g : grace;
        return new DeleteOptions(propagation, dryRun, uid, rv, grace);
    }

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }
}
