using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// What the apiserver's registry strategies do before storing: defaulting (a small, idempotent subset of the
/// real defaults) and validation (names, label syntax, immutable ConfigMaps/Secrets).
/// </summary>
internal static partial class Admission
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    public static void Default(ResourceType type, JsonObject obj, JsonObject? before, ClusterNetwork network)
    {
        if (type == ResourceCatalog.Namespaces)
        {
            // Since 1.21 the apiserver labels every namespace with its own name.
            var labels = Json.Meta(obj)["labels"] as JsonObject ?? new JsonObject();
            labels["kubernetes.io/metadata.name"] = Json.Name(obj);
            Json.Meta(obj)["labels"] = labels;
            obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] ??= new JsonObject { ["phase"] = "Active" };
        }
        else if (type == ResourceCatalog.Pods)
        {
            DefaultPod(obj);
        }
        else if (type == ResourceCatalog.Services)
        {
            DefaultService(obj, before, network);
        }
        else if (type == ResourceCatalog.PersistentVolumeClaims)
        {
            obj["status"] ??= new JsonObject { ["phase"] = "Pending" };
            if (obj["spec"] is JsonObject spec)
            {
                spec["volumeMode"] ??= "Filesystem";
            }
        }
        else if (type == ResourceCatalog.Deployments)
        {
            if (obj["spec"] is JsonObject spec)
            {
                spec["replicas"] ??= 1;
                spec["revisionHistoryLimit"] ??= 10;
                spec["progressDeadlineSeconds"] ??= 600;
                if (spec["template"]?["spec"] is JsonObject podSpec)
                {
                    DefaultPodSpec(podSpec);
                }
            }
        }
        else if (type == ResourceCatalog.Secrets)
        {
            obj["type"] ??= "Opaque";
            Validation.FoldStringData(obj);
        }
    }

    private static void DefaultPod(JsonObject pod)
    {
        if (pod["spec"] is JsonObject spec)
        {
            DefaultPodSpec(spec);

            // The ServiceAccount admission plugin sets this on pods only, never on templates.
            spec["serviceAccountName"] ??= "default";
        }

        pod["status"] ??= new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
    }

    private static void DefaultPodSpec(JsonObject spec)
    {
        spec["restartPolicy"] ??= "Always";
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["terminationGracePeriodSeconds"] ??= 30;
        foreach (var c in (spec["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var image = Json.Str(c, "image") ?? "";
            var tagged = image.Contains('@') || (image.LastIndexOf(':') > image.LastIndexOf('/') && !image.EndsWith(":latest", StringComparison.Ordinal));
            c["imagePullPolicy"] ??= tagged ? "IfNotPresent" : "Always";
            foreach (var p in (c["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                p["protocol"] ??= "TCP";
            }
        }
    }

    private static void DefaultService(JsonObject svc, JsonObject? before, ClusterNetwork network)
    {
        if (svc["spec"] is not JsonObject spec)
        {
            return;
        }

        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        foreach (var p in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            p["protocol"] ??= "TCP";
            p["targetPort"] ??= p["port"]?.DeepClone();
        }

        // clusterIP is allocated once and kept across updates that omit it.
        var ip = Json.Str(spec, "clusterIP") ?? Json.Str(before?["spec"], "clusterIP") ?? network.NextServiceIp();
        spec["clusterIP"] = ip;
        spec["clusterIPs"] = new JsonArray(ip);
        svc["status"] ??= new JsonObject { ["loadBalancer"] = new JsonObject() };
    }

    public static void Validate(ResourceType type, JsonObject obj, JsonObject? before)
    {
        var name = Json.Name(obj);
        var errors = new List<(string, string, string)>();
        var labelName = type == ResourceCatalog.Namespaces || type == ResourceCatalog.Services;
        if (labelName ? name.Length > 63 || !Dns1123Label().IsMatch(name) : name.Length > 253 || !Dns1123Subdomain().IsMatch(name))
        {
            var rule = labelName
                ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
            errors.Add(("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": {rule}"));
        }

        foreach (var (key, value) in Json.Labels(obj))
        {
            var keyName = key.Contains('/') ? key[(key.IndexOf('/') + 1)..] : key;
            if (keyName.Length is 0 or > 63 || !QualifiedName().IsMatch(keyName))
            {
                errors.Add(("metadata.labels", "FieldValueInvalid", $"Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }

            if (value.Length > 63 || !LabelValue().IsMatch(value))
            {
                errors.Add(("metadata.labels", "FieldValueInvalid", $"Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (and at most 63 characters)"));
            }
        }

        if ((type == ResourceCatalog.ConfigMaps || type == ResourceCatalog.Secrets) && before is not null && Json.Bool(before["immutable"]) == true)
        {
            if (Json.Bool(obj["immutable"]) != true)
            {
                errors.Add(("immutable", "FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set"));
            }

            foreach (var field in new[] { "data", "binaryData", "stringData" })
            {
                if (!Json.Same(obj[field], before[field]))
                {
                    errors.Add((field, "FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set"));
                }
            }
        }

        if (type == ResourceCatalog.Pods && (obj["spec"]?["containers"] as JsonArray ?? []).Count == 0)
        {
            errors.Add(("spec.containers", "FieldValueRequired", "Required value"));
        }

        Validation.Check(type, obj, before, errors);

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, name, errors.ToArray());
        }
    }
}
