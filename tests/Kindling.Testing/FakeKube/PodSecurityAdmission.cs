using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// The PodSecurity admission plugin, for pods created in a namespace labelled
/// <c>pod-security.kubernetes.io/enforce</c> = <c>baseline</c> or <c>restricted</c>. The checks and their wording
/// follow the Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/) as
/// k8s.io/pod-security-admission words them: a rejected pod gets 403 Forbidden with
/// <c>pods "x" is forbidden: violates PodSecurity "restricted:latest": &lt;check&gt; (&lt;detail&gt;), ...</c>.
/// Implemented: baseline's host namespaces, privileged, capabilities, hostPath volumes, host ports and seccomp
/// Unconfined; restricted's volume types, allowPrivilegeEscalation, capabilities drop ALL, runAsNonRoot, runAsUser 0
/// and seccomp RuntimeDefault/Localhost. Not modelled: AppArmor, SELinux options, /proc mount, sysctls, Windows pods.
/// </summary>
internal static class PodSecurityAdmission
{
    public const string EnforceLabel = "pod-security.kubernetes.io/enforce";

    // Capabilities baseline allows containers to add (the runtime's default set).
    private static readonly HashSet<string> BaselineCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP",
        "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    // The only volume types restricted allows.
    private static readonly string[] RestrictedVolumeTypes =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    /// <summary>Throws 403 when the pod violates the level its namespace enforces.</summary>
    public static void Enforce(JsonObject pod, JsonObject? ns)
    {
        var level = Json.Str(ns?["metadata"]?["labels"], EnforceLabel);
        if (level is not ("baseline" or "restricted")) return;
        var violations = Check(pod, level == "restricted");
        if (violations.Count == 0) return;
        var name = Json.Name(pod);
        throw new ApiException(403, "Forbidden",
            $"pods \"{name}\" is forbidden: violates PodSecurity \"{level}:latest\": {string.Join(", ", violations)}",
            new JsonObject { ["name"] = name, ["kind"] = "pods" });
    }

    /// <summary>Every violated check, worded as "&lt;check&gt; (&lt;detail&gt;)".</summary>
    public static List<string> Check(JsonObject pod, bool restricted)
    {
        var spec = pod["spec"] as JsonObject ?? new JsonObject();
        var podContext = spec["securityContext"] as JsonObject;
        var containers = new[] { "initContainers", "containers" }
            .SelectMany(k => (spec[k] as JsonArray ?? []).OfType<JsonObject>()).ToList();
        string Name(JsonObject c) => Json.Str(c, "name") ?? "";
        var violations = new List<string>();

        // Baseline.
        var hostNamespaces = new[] { "hostNetwork", "hostPID", "hostIPC" }.Where(f => Json.Bool(spec[f]) == true).Select(f => $"{f}=true").ToList();
        if (hostNamespaces.Count > 0) violations.Add($"host namespaces ({string.Join(", ", hostNamespaces)})");
        var privileged = containers.Where(c => Json.Bool(c["securityContext"]?["privileged"]) == true).Select(Name).ToList();
        if (privileged.Count > 0) violations.Add($"privileged ({Containers(privileged)} must not set securityContext.privileged=true)");
        var added = containers.SelectMany(c => (c["securityContext"]?["capabilities"]?["add"] as JsonArray ?? []).Select(a => (Name(c), Cap: a?.GetValue<string>() ?? ""))).ToList();
        var nonDefault = added.Where(a => !BaselineCapabilities.Contains(a.Cap)).ToList();
        if (nonDefault.Count > 0)
            violations.Add($"non-default capabilities ({Containers(nonDefault.Select(a => a.Item1).Distinct().ToList())} must not include {Quoted(nonDefault.Select(a => a.Cap).Distinct())} in securityContext.capabilities.add)");
        var volumes = (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var hostPaths = volumes.Where(v => v["hostPath"] is not null).Select(v => Json.Str(v, "name") ?? "").ToList();
        if (hostPaths.Count > 0) violations.Add($"hostPath volumes ({(hostPaths.Count == 1 ? "volume" : "volumes")} {Quoted(hostPaths)})");
        var hostPorts = containers.SelectMany(c => (c["ports"] as JsonArray ?? []).OfType<JsonObject>().Where(p => (Json.Long(p["hostPort"]) ?? 0) != 0).Select(p => (Name(c), Json.Long(p["hostPort"])))).ToList();
        if (hostPorts.Count > 0) violations.Add($"hostPort ({string.Join(", ", hostPorts.Select(h => $"container \"{h.Item1}\" uses hostPort {h.Item2}"))})");
        var podSeccomp = Json.Str(podContext?["seccompProfile"], "type");
        if (podSeccomp == "Unconfined") violations.Add("seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")");
        if (!restricted) return violations;

        // Restricted.
        var restrictedVolumes = volumes
            .Select(v => (Name: Json.Str(v, "name") ?? "", Type: v.Select(p => p.Key).FirstOrDefault(k => k != "name") ?? ""))
            .Where(v => !RestrictedVolumeTypes.Contains(v.Type)).ToList();
        if (restrictedVolumes.Count > 0)
        {
            violations.Add(restrictedVolumes.Count == 1
                ? $"restricted volume types (volume \"{restrictedVolumes[0].Name}\" uses restricted volume type \"{restrictedVolumes[0].Type}\")"
                : $"restricted volume types (volumes {Quoted(restrictedVolumes.Select(v => v.Name))} use restricted volume types {Quoted(restrictedVolumes.Select(v => v.Type).Distinct())})");
        }
        var escalating = containers.Where(c => Json.Bool(c["securityContext"]?["allowPrivilegeEscalation"]) != false).Select(Name).ToList();
        if (escalating.Count > 0) violations.Add($"allowPrivilegeEscalation != false ({Containers(escalating)} must set securityContext.allowPrivilegeEscalation=false)");
        var undropped = containers.Where(c => !(c["securityContext"]?["capabilities"]?["drop"] as JsonArray ?? []).Any(d => d?.GetValue<string>() == "ALL")).Select(Name).ToList();
        var addedBeyond = added.Where(a => a.Cap != "NET_BIND_SERVICE").ToList();
        if (undropped.Count > 0 || addedBeyond.Count > 0)
        {
            var details = new List<string>();
            if (undropped.Count > 0) details.Add($"{Containers(undropped)} must set securityContext.capabilities.drop=[\"ALL\"]");
            if (addedBeyond.Count > 0) details.Add($"{Containers(addedBeyond.Select(a => a.Item1).Distinct().ToList())} must not include {Quoted(addedBeyond.Select(a => a.Cap).Distinct())} in securityContext.capabilities.add");
            violations.Add($"unrestricted capabilities ({string.Join("; ", details)})");
        }
        var podNonRoot = Json.Bool(podContext?["runAsNonRoot"]);
        if (podNonRoot == false)
        {
            violations.Add("runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)");
        }
        else
        {
            var explicitFalse = containers.Where(c => Json.Bool(c["securityContext"]?["runAsNonRoot"]) == false).Select(Name).ToList();
            var unset = podNonRoot == true ? [] : containers.Where(c => Json.Bool(c["securityContext"]?["runAsNonRoot"]) is null).Select(Name).ToList();
            if (explicitFalse.Count > 0) violations.Add($"runAsNonRoot != true ({Containers(explicitFalse)} must not set securityContext.runAsNonRoot=false)");
            else if (unset.Count > 0) violations.Add($"runAsNonRoot != true (pod or {Containers(unset)} must set securityContext.runAsNonRoot=true)");
        }
        var rootUsers = new List<string>();
        if (Json.Long(podContext?["runAsUser"]) == 0) rootUsers.Add("pod must not set runAsUser=0");
        var rootContainers = containers.Where(c => Json.Long(c["securityContext"]?["runAsUser"]) == 0).Select(Name).ToList();
        if (rootContainers.Count > 0) rootUsers.Add($"{Containers(rootContainers)} must not set runAsUser=0");
        if (rootUsers.Count > 0) violations.Add($"runAsUser=0 ({string.Join("; ", rootUsers)})");
        static bool Allowed(string? type) => type is "RuntimeDefault" or "Localhost";
        var containerSeccomp = containers.Select(c => (Name: Name(c), Type: Json.Str(c["securityContext"]?["seccompProfile"], "type"))).ToList();
        var badSeccomp = containerSeccomp.Where(c => c.Type is not null && !Allowed(c.Type)).Select(c => c.Name).ToList();
        var missingSeccomp = Allowed(podSeccomp) ? [] : containerSeccomp.Where(c => c.Type is null).Select(c => c.Name).ToList();
        if (podSeccomp is not null && !Allowed(podSeccomp) && podSeccomp != "Unconfined")
            violations.Add($"seccompProfile (pod must not set securityContext.seccompProfile.type to \"{podSeccomp}\")");
        else if (badSeccomp.Count > 0)
            violations.Add($"seccompProfile ({Containers(badSeccomp)} must not set securityContext.seccompProfile.type to {Quoted(containerSeccomp.Where(c => badSeccomp.Contains(c.Name)).Select(c => c.Type!).Distinct())})");
        else if (missingSeccomp.Count > 0)
            violations.Add($"seccompProfile (pod or {Containers(missingSeccomp)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
        return violations;
    }

    private static string Containers(IReadOnlyList<string> names) =>
        names.Count == 1 ? $"container \"{names[0]}\"" : $"containers {Quoted(names)}";

    private static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"\"{v}\""));
}
