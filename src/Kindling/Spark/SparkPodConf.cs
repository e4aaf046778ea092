using System.Globalization;
using k8s.Models;

namespace Kindling.Spark;

/// <summary>
/// The pod-shaping conf Spark applies to a driver (or executor) pod, read as Spark reads it (<c>Config.scala</c>,
/// <c>KubernetesConf</c>, <c>KubernetesVolumeUtils</c>), each value checked as Spark would check it. Problems are
/// collected, not thrown one by one, so a submission reports all of them at once.
/// </summary>
internal sealed class SparkPodConf(IReadOnlyDictionary<string, string> conf, string role, List<InputError> problems)
{
    private const string NodeSelectorPrefix = "spark.kubernetes.node.selector.";

    /// <summary><c>spark.kubernetes.node.selector.*</c>, then <c>spark.kubernetes.{role}.node.selector.*</c> (which wins on a shared key).</summary>
    public SortedDictionary<string, string> NodeSelector()
    {
        var selector = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in Prefixed(NodeSelectorPrefix)) selector[k] = v;
        foreach (var (k, v) in Prefixed($"spark.kubernetes.{role}.node.selector.")) selector[k] = v;
        return selector;
    }

    /// <summary><c>spark.kubernetes.container.image.pullSecrets</c>: comma-separated names, trimmed, empty ones dropped (<c>KubernetesConf.imagePullSecrets</c>).</summary>
    public IEnumerable<V1LocalObjectReference> ImagePullSecrets() =>
        conf.TryGetValue("spark.kubernetes.container.image.pullSecrets", out var names)
            ? names.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).Select(n => new V1LocalObjectReference { Name = n })
            : [];

    /// <summary><c>spark.kubernetes.{role}.label.*</c>.</summary>
    public IEnumerable<KeyValuePair<string, string>> Labels() => Prefixed($"spark.kubernetes.{role}.label.");

    /// <summary>
    /// <c>spark.kubernetes.{role}.annotation.*</c>, with <c>{{APP_ID}}</c> and <c>{{EXECUTOR_ID}}</c> substituted
    /// (<c>Utils.substituteAppNExecIds</c>; the driver's executor id is empty).
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> Annotations(string appId, string executorId = "") =>
        Prefixed($"spark.kubernetes.{role}.annotation.")
            .Select(e => KeyValuePair.Create(e.Key, e.Value.Replace("{{APP_ID}}", appId, StringComparison.Ordinal).Replace("{{EXECUTOR_ID}}", executorId, StringComparison.Ordinal)));

    /// <summary>
    /// <c>spark.kubernetes.{role}.secrets.[SecretName]=[MountPath]</c> (<c>MountSecretsFeatureStep</c>): a secret volume
    /// named <c>&lt;secret&gt;-volume</c> mounted at the path.
    /// </summary>
    public IEnumerable<(V1Volume Volume, V1VolumeMount Mount)> SecretVolumes() =>
        Prefixed($"spark.kubernetes.{role}.secrets.").Select(e => (
            new V1Volume { Name = $"{e.Key}-volume", Secret = new V1SecretVolumeSource { SecretName = e.Key } },
            new V1VolumeMount { Name = $"{e.Key}-volume", MountPath = e.Value }));

    /// <summary>
    /// <c>spark.kubernetes.{role}.secretKeyRef.[EnvName]=[SecretName]:[Key]</c> (<c>EnvSecretsFeatureStep</c>): an env
    /// variable from a secretKeyRef.
    /// </summary>
    public IEnumerable<V1EnvVar> SecretEnv()
    {
        var prefix = $"spark.kubernetes.{role}.secretKeyRef.";
        foreach (var (env, reference) in Prefixed(prefix))
        {
            var parts = reference.Split(':');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                Problem(prefix + env, $"'{reference}' is not a secret key reference; write it as <secret name>:<key>, e.g. db-credentials:password");
                continue;
            }
            yield return new V1EnvVar
            {
                Name = env,
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = parts[0], Key = parts[1] } },
            };
        }
    }

    /// <summary>
    /// <c>spark.kubernetes.{role}.volumes.[Type].[Name].*</c> (<c>KubernetesVolumeUtils.parseVolumesWithPrefix</c>,
    /// <c>MountVolumesFeatureStep</c>): hostPath, emptyDir, persistentVolumeClaim and nfs, with mount.path,
    /// mount.readOnly and mount.subPath. Spark 4 adds hostPath's options.type.
    /// </summary>
    /// <param name="resourcePrefix">The application's resource name prefix, for <c>OnDemand</c> claim names.</param>
    /// <param name="sparkMajor">Spark's major version.</param>
    public IEnumerable<(V1Volume Volume, V1VolumeMount Mount)> Volumes(string resourcePrefix, int sparkMajor)
    {
        var prefix = $"spark.kubernetes.{role}.volumes.";
        var options = Prefixed(prefix).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var specs = options.Keys
            .Select(k => k.Split('.'))
            .Where(p => p.Length >= 3)
            .Select(p => (Type: p[0], Name: p[1]))
            .Distinct()
            .OrderBy(v => v.Type, StringComparer.Ordinal).ThenBy(v => v.Name, StringComparer.Ordinal)
            .ToList();
        var built = new List<(V1Volume, V1VolumeMount)>();
        var index = 0;
        foreach (var (type, name) in specs)
        {
            var i = index++;
            string Key(string option) => $"{type}.{name}.{option}";
            string? Get(string option) => options.TryGetValue(Key(option), out var v) ? v : null;
            string? Required(string option, string what)
            {
                var value = Get(option);
                if (value is null) Problem(prefix + Key(option), $"is required for a {what} volume; set --conf {prefix}{Key(option)}=...");
                return value;
            }

            var mountPath = Required("mount.path", type);
            var readOnly = Get("mount.readOnly") is { } ro && bool.TryParse(ro, out var r) && r;
            var volume = new V1Volume { Name = name };
            switch (type)
            {
                case "hostPath":
                    volume.HostPath = new V1HostPathVolumeSource { Path = Required("options.path", type) ?? "" };
                    // Spark 3.5 always passes type "" (no check before mounting); Spark 4 reads options.type.
                    if (sparkMajor >= 4 && Get("options.type") is { Length: > 0 } hostType) volume.HostPath.Type = hostType;
                    break;
                case "emptyDir":
                    volume.EmptyDir = new V1EmptyDirVolumeSource { Medium = Get("options.medium") };
                    if (Size(Get("options.sizeLimit"), prefix + Key("options.sizeLimit")) is { } limit) volume.EmptyDir.SizeLimit = limit;
                    break;
                case "persistentVolumeClaim":
                    var claim = Required("options.claimName", type) ?? "";
                    Size(Get("options.sizeLimit"), prefix + Key("options.sizeLimit"));
                    if (claim.Contains("OnDemand", StringComparison.Ordinal))
                    {
                        // MountVolumesFeatureStep would also create the claim; Kindling does not create storage.
                        if (Get("options.storageClass") is not null && Get("options.sizeLimit") is not null)
                            Problem(prefix + Key("options.claimName"), "OnDemand claims (Spark creating a PVC for the driver) are not supported by 'kindling submit'; create the PersistentVolumeClaim and give its name");
                        claim = claim.Replace("OnDemand", $"{resourcePrefix}-{role}-pvc-{i}", StringComparison.Ordinal);
                    }
                    volume.PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim, ReadOnlyProperty = readOnly };
                    break;
                case "nfs":
                    volume.Nfs = new V1NFSVolumeSource { Path = Required("options.path", type) ?? "", Server = Required("options.server", type) ?? "" };
                    break;
                default:
                    Problem(prefix + $"{type}.{name}", $"Kubernetes volume type '{type}' is not supported by Spark; use hostPath, emptyDir, persistentVolumeClaim or nfs");
                    continue;
            }
            var mount = new V1VolumeMount { Name = name, MountPath = mountPath ?? "", ReadOnlyProperty = readOnly };
            if (Get("mount.subPath") is { Length: > 0 } subPath) mount.SubPath = subPath;
            built.Add((volume, mount));
        }
        foreach (var duplicate in built.GroupBy(v => v.Item2.MountPath).Where(g => g.Count() > 1 && g.Key.Length > 0))
            Problem(prefix + "*.mount.path", $"'{duplicate.Key}' is the mount path of more than one volume ({string.Join(", ", duplicate.Select(v => v.Item1.Name))}); give each volume its own path");
        return built;
    }

    /// <summary>A size limit; a bare number below 1024 is rejected as Spark does ("smaller than 1KiB. Missing units?").</summary>
    private ResourceQuantity? Size(string? value, string key)
    {
        if (value is null) return null;
        if (value.All(char.IsAsciiDigit) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes < 1024)
        {
            Problem(key, $"'{value}' is smaller than 1KiB: missing units? Use e.g. 10Gi");
            return null;
        }
        try
        {
            var quantity = new ResourceQuantity(value);
            _ = quantity.ToDecimal();
            return quantity;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            Problem(key, $"'{value}' is not a Kubernetes quantity; use e.g. 10Gi");
            return null;
        }
    }

    private void Problem(string key, string message) => problems.Add(new InputError(null, $"--conf {key}", message));

    private IEnumerable<KeyValuePair<string, string>> Prefixed(string prefix) =>
        conf.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && e.Key.Length > prefix.Length)
            .Select(e => KeyValuePair.Create(e.Key[prefix.Length..], e.Value))
            .OrderBy(e => e.Key, StringComparer.Ordinal);
}
