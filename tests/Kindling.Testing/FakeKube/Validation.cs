using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Type-specific validation the apiserver applies and that catches real product bugs: port names (IANA service
/// names, at most 15 characters), ConfigMap keys, a Deployment's selector matching its template, and the
/// immutable fields (pod spec, workload selectors, Service clusterIP, PVC spec).
/// </summary>
internal static partial class Validation
{
    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKey();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex PortName();

    public static void Check(ResourceType type, JsonObject obj, JsonObject? before, List<(string Field, string Type, string Message)> errors)
    {
        if (type == ResourceCatalog.Pods)
        {
            CheckPodSpec(obj["spec"], "spec", errors);
            if (before is not null && PodSpecChanged(before, obj))
            {
                errors.Add(("spec", "FieldValueForbidden", "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
            }
        }
        else if (type == ResourceCatalog.Deployments || type == ResourceCatalog.ReplicaSets)
        {
            CheckWorkload(obj, before, errors);
        }
        else if (type == ResourceCatalog.Services)
        {
            CheckService(obj, before, errors);
        }
        else if (type == ResourceCatalog.ConfigMaps || type == ResourceCatalog.Secrets)
        {
            foreach (var field in new[] { "data", "binaryData" })
            {
                foreach (var (key, _) in obj[field] as JsonObject ?? [])
                {
                    if (key.Length > 253 || !ConfigKey().IsMatch(key))
                    {
                        errors.Add(($"{field}[{key}]", "FieldValueInvalid", $"Invalid value: \"{key}\": a valid config key must consist of alphanumeric characters, '-', '_' or '.'"));
                    }
                }
            }
        }
        else if (type == ResourceCatalog.PersistentVolumeClaims && before is not null)
        {
            var was = Comparable(before["spec"], bound: true);
            var now = Comparable(obj["spec"], bound: true);
            if (!Json.Same(was, now))
            {
                errors.Add(("spec", "FieldValueForbidden", "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
            }
        }
    }

    /// <summary>Secrets: stringData is write-only and merged into data (base64), as the apiserver does on every write.</summary>
    public static void FoldStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            return;
        }

        var data = secret["data"] as JsonObject ?? new JsonObject();
        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
        }

        secret["data"] = data;
        secret.Remove("stringData");
    }

    private static void CheckPodSpec(JsonNode? spec, string path, List<(string, string, string)> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in new[] { "initContainers", "containers" })
        {
            var i = 0;
            foreach (var c in (spec?[field] as JsonArray ?? []).OfType<JsonObject>())
            {
                var name = Json.Str(c, "name") ?? "";
                if (!names.Add(name))
                {
                    errors.Add(($"{path}.{field}[{i}].name", "FieldValueDuplicate", $"Duplicate value: \"{name}\""));
                }

                if (field == "containers" && string.IsNullOrEmpty(Json.Str(c, "image")))
                {
                    errors.Add(($"{path}.{field}[{i}].image", "FieldValueRequired", "Required value"));
                }

                var p = 0;
                foreach (var port in (c["ports"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    CheckPortName(Json.Str(port, "name"), $"{path}.{field}[{i}].ports[{p++}].name", errors);
                }

                i++;
            }
        }
    }

    private static void CheckPortName(string? name, string path, List<(string, string, string)> errors)
    {
        if (name is null)
        {
            return;
        }

        if (name.Length > 15 || !PortName().IsMatch(name) || !name.Any(char.IsLetter) || name.Contains("--", StringComparison.Ordinal))
        {
            errors.Add((path, "FieldValueInvalid", $"Invalid value: \"{name}\": must be no more than 15 characters, contain only lowercase alphanumerics and '-', start and end with an alphanumeric, contain at least one letter, and not contain '--'"));
        }
    }

    private static void CheckWorkload(JsonObject obj, JsonObject? before, List<(string, string, string)> errors)
    {
        var selector = obj["spec"]?["selector"];
        if (selector is null)
        {
            errors.Add(("spec.selector", "FieldValueRequired", "Required value"));
            return;
        }

        var labels = Json.StringMap(obj["spec"]?["template"]?["metadata"]?["labels"]);
        if (!LabelSelector.FromObject(selector).Matches(labels) || labels.Count == 0)
        {
            errors.Add(("spec.template.metadata.labels", "FieldValueInvalid", "Invalid value: `selector` does not match template `labels`"));
        }

        if (before is not null && !Json.Same(before["spec"]?["selector"], selector))
        {
            errors.Add(("spec.selector", "FieldValueInvalid", "Invalid value: field is immutable"));
        }

        CheckPodSpec(obj["spec"]?["template"]?["spec"], "spec.template.spec", errors);
    }

    private static void CheckService(JsonObject obj, JsonObject? before, List<(string, string, string)> errors)
    {
        var ports = (obj["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports.Count > 1 && string.IsNullOrEmpty(Json.Str(ports[i], "name")))
            {
                errors.Add(($"spec.ports[{i}].name", "FieldValueRequired", "Required value"));
            }

            CheckPortName(Json.Str(ports[i], "name"), $"spec.ports[{i}].name", errors);
        }

        var oldIp = Json.Str(before?["spec"], "clusterIP");
        if (before is not null && oldIp != Json.Str(obj["spec"], "clusterIP"))
        {
            errors.Add(("spec.clusterIPs[0]", "FieldValueInvalid", "Invalid value: field is immutable"));
        }
    }

    private static bool PodSpecChanged(JsonObject before, JsonObject after)
    {
        var was = (JsonObject)(before["spec"]?.DeepClone() ?? new JsonObject());
        var now = (JsonObject)(after["spec"]?.DeepClone() ?? new JsonObject());
        foreach (var spec in new[] { was, now })
        {
            foreach (var c in new[] { "containers", "initContainers" }.SelectMany(f => spec[f] as JsonArray ?? []).OfType<JsonObject>())
            {
                c.Remove("image");
            }

            spec.Remove("activeDeadlineSeconds");
            spec.Remove("tolerations");
        }

        // Binding a pod (nodeName from empty to a node) is the scheduler's one allowed spec change.
        if (was["nodeName"] is null)
        {
            now.Remove("nodeName");
        }

        return !Json.Same(was, now);
    }

    private static JsonNode Comparable(JsonNode? pvcSpec, bool bound)
    {
        var copy = (JsonObject)(pvcSpec?.DeepClone() ?? new JsonObject());
        copy.Remove("resources");
        copy.Remove("volumeAttributesClassName");
        if (bound)
        {
            // Binding fills these in once; comparing without them lets the binder's write through.
            copy.Remove("volumeName");
            copy.Remove("storageClassName");
        }

        return copy;
    }
}
