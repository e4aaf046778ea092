using System.Text;

namespace Kindling.Spark;

/// <summary>
/// The names of a submission's objects, following Spark's own rules so that Spark's driver and tooling
/// recognise them (<c>KubernetesConf</c>, <c>BasicDriverFeatureStep</c>, <c>DriverServiceFeatureStep</c>,
/// <c>KubernetesClientUtils</c>).
/// </summary>
/// <param name="AppName">The application name as given (<c>spark.app.name</c>).</param>
/// <param name="AppId"><c>spark.app.id</c>.</param>
/// <param name="ResourcePrefix">The resource name prefix <c>&lt;appName&gt;-&lt;uniqueId&gt;</c>, normalised.</param>
/// <param name="DriverPod">The driver pod name (<c>spark.kubernetes.driver.pod.name</c>).</param>
/// <param name="DriverService">The headless driver Service name.</param>
/// <param name="ConfConfigMap">The immutable ConfigMap holding <c>spark.properties</c>.</param>
/// <param name="FilesConfigMap">The ConfigMap holding small local application files, when any are shipped.</param>
/// <param name="AppNameLabel">The <c>spark-app-name</c> label value.</param>
public sealed record SparkNames(
    string AppName,
    string AppId,
    string ResourcePrefix,
    string DriverPod,
    string DriverService,
    string ConfConfigMap,
    string FilesConfigMap,
    string AppNameLabel)
{
    private const string DriverServiceSuffix = "-driver-svc";

    /// <summary>
    /// The Secret holding the secret-like conf kept out of <see cref="ConfConfigMap"/> (<see cref="DriverSecretConf"/>),
    /// named like the conf ConfigMap it complements. Spark has no such object, so the name is Kindling's.
    /// </summary>
    public string ConfSecret { get; init; } = "";
    private const string ConfigMapSuffix = "-conf-map";

    /// <summary>Derives every name of a submission.</summary>
    /// <param name="appName">The application name; must keep at least one <c>[a-z0-9]</c> after normalisation.</param>
    /// <param name="ids">The generated identifiers.</param>
    /// <param name="driverPodName">An explicit <c>spark.kubernetes.driver.pod.name</c>, if the user set one.</param>
    /// <exception cref="InvalidInputException">The name has no usable character (path <c>--name</c>).</exception>
    public static SparkNames For(string appName, SparkIds ids, string? driverPodName = null)
    {
        if (Normalise(appName).Trim('-').Length == 0)
            throw new InvalidInputException("--name",
                $"'{appName}' has no letter or digit left after normalising to [a-z0-9-]; choose a name such as 'etl-daily'");

        var prefix = PrefixFor(appName, ids.PrefixId);
        // DriverServiceFeatureStep: the preferred name is <prefix>-driver-svc; a Service name is a DNS-1123
        // label, so above 63 characters Spark falls back to spark-<another uniqueId>-driver-svc.
        var preferredService = prefix + DriverServiceSuffix;
        var service = preferredService.Length <= SparkConventions.MaxLabelLength
            ? preferredService
            : $"spark-{ids.ServiceId}{DriverServiceSuffix}";
        return new SparkNames(
            appName,
            ids.AppId,
            prefix,
            // BasicDriverFeatureStep: spark.kubernetes.driver.pod.name, else <prefix>-driver.
            driverPodName ?? prefix + "-driver",
            service,
            ConfigMapName($"spark-drv-{ids.ConfigMapId}"),
            $"spark-drv-{ids.ConfigMapId}-files",
            AppNameLabelValue(appName))
        {
            ConfSecret = $"spark-drv-{ids.ConfigMapId}-conf-secret",
        };
    }

    /// <summary>
    /// <c>KubernetesConf.getResourceNamePrefix</c> (Spark 3.5/4.x): <c>"$appName-$uniqueId"</c> trimmed,
    /// lower-cased, every character outside <c>[a-z0-9-]</c> replaced by <c>-</c>, runs of dashes collapsed,
    /// one leading dash removed and a leading digit replaced by <c>x</c> (names must start with a letter to
    /// be valid DNS-1035 Service names).
    /// </summary>
    public static string PrefixFor(string appName, string uniqueId)
    {
        var name = Normalise($"{appName}-{uniqueId}");
        if (name.StartsWith('-')) name = name[1..];
        if (name.Length > 0 && char.IsAsciiDigit(name[0])) name = "x" + name[1..];
        return name;
    }

    /// <summary>
    /// <c>KubernetesConf.getAppNameLabel</c>: the name normalised like the prefix, cut to 63 characters
    /// (a label value's limit), then one leading and one trailing dash stripped.
    /// </summary>
    public static string AppNameLabelValue(string appName)
    {
        var label = Normalise(appName);
        if (label.Length > SparkConventions.MaxLabelLength) label = label[..SparkConventions.MaxLabelLength];
        if (label.StartsWith('-')) label = label[1..];
        if (label.EndsWith('-')) label = label[..^1];
        return label;
    }

    /// <summary><c>KubernetesClientUtils.configMapName</c>: the prefix cut so the name fits 253 characters, plus <c>-conf-map</c>.</summary>
    private static string ConfigMapName(string prefix)
    {
        var max = SparkConventions.MaxSubdomainLength - ConfigMapSuffix.Length;
        return (prefix.Length > max ? prefix[..max] : prefix) + ConfigMapSuffix;
    }

    /// <summary>Trim, lower-case (invariant), <c>[^a-z0-9-]</c> to <c>-</c>, collapse dash runs.</summary>
    private static string Normalise(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var raw in value.Trim())
        {
            var c = char.ToLowerInvariant(raw);
            var mapped = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-';
            if (mapped == '-' && sb.Length > 0 && sb[^1] == '-') continue;
            sb.Append(mapped);
        }
        return sb.ToString();
    }
}
