using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>Sets a status condition, keeping its transition time when status does not change (as controllers do).</summary>
internal static class Conditions
{
    public static void Set(JsonObject status, string type, string value, string? reason, string? message, string now, bool withUpdateTime = false)
    {
        if (status["conditions"] is not JsonArray list)
        {
            list = new JsonArray();
            status["conditions"] = list;
        }

        var existing = list.OfType<JsonObject>().FirstOrDefault(c => Json.Str(c, "type") == type);
        var same = existing is not null && Json.Str(existing, "status") == value && Json.Str(existing, "reason") == reason && Json.Str(existing, "message") == message;
        if (same)
        {
            return;
        }

        var transition = existing is not null && Json.Str(existing, "status") == value ? Json.Str(existing, "lastTransitionTime") ?? now : now;
        var condition = new JsonObject { ["type"] = type, ["status"] = value };
        if (withUpdateTime)
        {
            condition["lastUpdateTime"] = now;
        }

        condition["lastTransitionTime"] = transition;
        if (reason is not null)
        {
            condition["reason"] = reason;
        }

        if (message is not null)
        {
            condition["message"] = message;
        }

        if (existing is null)
        {
            list.Add(condition);
        }
        else
        {
            list[list.IndexOf(existing)] = condition;
        }
    }

    public static string? Get(JsonNode? status, string type) =>
        (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Where(c => Json.Str(c, "type") == type).Select(c => Json.Str(c, "status")).FirstOrDefault();
}
