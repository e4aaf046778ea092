using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// The pod status shapes a scheduler and kubelet write: PodScheduled/Initialized/ContainersReady/Ready
/// conditions, containerStatuses with waiting/running/terminated states, phase derived from container states
/// and restartPolicy.
/// </summary>
internal static class PodStatusWriter
{
    public static IEnumerable<JsonObject> Containers(JsonObject pod) => (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>();

    public static JsonObject Status(JsonObject pod)
    {
        if (pod["status"] is not JsonObject status)
        {
            status = new JsonObject();
            pod["status"] = status;
        }

        return status;
    }

    /// <summary>The container status for <paramref name="container"/>, created (waiting ContainerCreating) if missing.</summary>
    public static JsonObject ContainerStatus(JsonObject pod, string container)
    {
        var status = Status(pod);
        if (status["containerStatuses"] is not JsonArray list)
        {
            list = new JsonArray();
            status["containerStatuses"] = list;
        }

        var existing = list.OfType<JsonObject>().FirstOrDefault(c => Json.Str(c, "name") == container);
        if (existing is not null)
        {
            return existing;
        }

        var spec = Containers(pod).FirstOrDefault(c => Json.Str(c, "name") == container)
            ?? throw ApiException.BadRequest($"pod {Json.Name(pod)} has no container {container}");
        var created = new JsonObject
        {
            ["name"] = container,
            ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
            ["lastState"] = new JsonObject(),
            ["ready"] = false,
            ["restartCount"] = 0,
            ["image"] = Json.Str(spec, "image"),
            ["imageID"] = "",
            ["started"] = false,
        };
        list.Add(created);
        return created;
    }

    public static void Schedule(JsonObject pod, string node, string podIp, string now)
    {
        var spec = (JsonObject)pod["spec"]!;
        spec["nodeName"] ??= node;
        var status = Status(pod);
        status["phase"] ??= "Pending";
        status["hostIP"] = "10.0.0.10";
        status["podIP"] ??= podIp;
        status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = Json.Str(status, "podIP") });
        status["startTime"] ??= now;
        Conditions.Set(status, "PodScheduled", "True", null, null, now);
        Conditions.Set(status, "Initialized", "True", null, null, now);
        foreach (var c in Containers(pod))
        {
            ContainerStatus(pod, Json.Str(c, "name")!);
        }

        Refresh(pod, now);
    }

    public static void Running(JsonObject pod, string container, bool ready, string now)
    {
        var cs = ContainerStatus(pod, container);
        if (cs["state"]?["running"] is null)
        {
            cs["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } };
        }

        cs["ready"] = ready;
        cs["started"] = true;
        cs["imageID"] = "docker.io/fake@sha256:" + new string('0', 64);
        cs["containerID"] = "containerd://" + Guid.NewGuid().ToString("N");
    }

    public static void Waiting(JsonObject pod, string container, string reason, string? message)
    {
        var cs = ContainerStatus(pod, container);
        var waiting = new JsonObject { ["reason"] = reason };
        if (message is not null)
        {
            waiting["message"] = message;
        }

        cs["state"] = new JsonObject { ["waiting"] = waiting };
        cs["ready"] = false;
        cs["started"] = false;
    }

    public static void Terminated(JsonObject pod, string container, string reason, int exitCode, string? message, string now)
    {
        var cs = ContainerStatus(pod, container);
        var startedAt = Json.Str(cs["state"]?["running"], "startedAt") ?? now;
        var terminated = new JsonObject
        {
            ["exitCode"] = exitCode,
            ["reason"] = reason,
            ["startedAt"] = startedAt,
            ["finishedAt"] = now,
            ["containerID"] = Json.Str(cs, "containerID") ?? "containerd://" + Guid.NewGuid().ToString("N"),
        };
        if (message is not null)
        {
            terminated["message"] = message;
        }

        cs["state"] = new JsonObject { ["terminated"] = terminated };
        cs["ready"] = false;
        cs["started"] = false;
    }

    /// <summary>CrashLoopBackOff: the last run terminated, the kubelet waits before restarting it.</summary>
    public static void CrashLoop(JsonObject pod, string container, int exitCode, string reason, string now)
    {
        Terminated(pod, container, reason, exitCode, null, now);
        var cs = ContainerStatus(pod, container);
        cs["lastState"] = cs["state"]!.DeepClone();
        cs["restartCount"] = (Json.Long(cs["restartCount"]) ?? 0) + 1;
        Waiting(pod, container, "CrashLoopBackOff", $"back-off 10s restarting failed container={container} pod={Json.Name(pod)}_{Json.Namespace(pod)}({Json.Uid(pod)})");
    }

    /// <summary>Recomputes phase and the Ready/ContainersReady conditions from container states.</summary>
    public static void Refresh(JsonObject pod, string now)
    {
        var status = Status(pod);
        var statuses = Containers(pod).Select(c => ContainerStatus(pod, Json.Str(c, "name")!)).ToList();
        var allReady = statuses.Count > 0 && statuses.All(s => Json.Bool(s["ready"]) == true);
        var terminated = statuses.Where(s => s["state"]?["terminated"] is not null).ToList();
        var anyRunning = statuses.Any(s => s["state"]?["running"] is not null || s["lastState"]?["terminated"] is not null);
        var restartPolicy = Json.Str(pod["spec"], "restartPolicy") ?? "Always";
        string phase;
        if (terminated.Count == statuses.Count && statuses.Count > 0 && restartPolicy != "Always")
        {
            var failed = terminated.Any(s => Json.Long(s["state"]!["terminated"]!["exitCode"]) != 0);
            phase = failed && restartPolicy == "Never" ? "Failed" : failed ? "Running" : "Succeeded";
        }
        else if (anyRunning || terminated.Count > 0)
        {
            phase = "Running";
        }
        else
        {
            phase = "Pending";
        }

        status["phase"] = phase;
        if (Conditions.Get(status, "PodScheduled") == "True")
        {
            var notReady = statuses.Where(s => Json.Bool(s["ready"]) != true).Select(s => Json.Str(s, "name")).ToList();
            var reason = phase == "Succeeded" ? "PodCompleted" : allReady ? null : "ContainersNotReady";
            var message = allReady || phase == "Succeeded" ? null : $"containers with unready status: [{string.Join(" ", notReady)}]";
            Conditions.Set(status, "ContainersReady", allReady ? "True" : "False", reason, message, now);
            Conditions.Set(status, "Ready", allReady ? "True" : "False", reason, message, now);
        }
    }
}
