using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>An error the fake answers with a <c>kind: Status</c> body, shaped like the apiserver's.</summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    public JsonObject ToStatus() => Status.Failure(Code, Reason, Message, Details);

    internal static JsonObject DetailsFor(ResourceType type, string? name, JsonArray? causes = null)
    {
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            details["name"] = name;
        }

        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        if (causes is not null)
        {
            details["causes"] = causes;
        }

        return details;
    }

    internal static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.GroupResource} \"{name}\" not found", DetailsFor(type, name));

    internal static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists", DetailsFor(type, name));

    internal static ApiException Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            DetailsFor(type, name));

    internal static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>422 with one cause per field, like apimachinery's field.ErrorList aggregation.</summary>
    internal static ApiException Invalid(ResourceType type, string name, params (string Field, string Type, string Message)[] errors)
    {
        var causes = new JsonArray();
        foreach (var (field, kind, message) in errors)
        {
            causes.Add(new JsonObject { ["reason"] = kind, ["message"] = message, ["field"] = field });
        }

        var summary = errors.Length == 1
            ? $"{errors[0].Field}: {errors[0].Message}"
            : "[" + string.Join(", ", errors.Select(e => $"{e.Field}: {e.Message}")) + "]";
        return new ApiException(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {summary}", DetailsFor(type, name, causes));
    }

    internal static ApiException Gone(string message) => new(410, "Expired", message);

    internal static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);
}

/// <summary>Builders for <c>meta/v1 Status</c> bodies.</summary>
internal static class Status
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details.DeepClone();
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Success(ResourceType type, string name, string? uid)
    {
        var details = ApiException.DetailsFor(type, name);
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }
}
