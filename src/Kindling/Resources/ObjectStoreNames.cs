using System.Globalization;

namespace Kindling.Resources;

/// <summary>Names, labels and ports of the in-cluster object store's objects (<c>storage.local</c>).</summary>
public static class ObjectStoreNames
{
    /// <summary><c>app.kubernetes.io/name</c> of the store's objects.</summary>
    public const string App = "seaweedfs";

    /// <summary><c>app.kubernetes.io/component</c> of the store's objects.</summary>
    public const string Component = "object-store";

    /// <summary>The container's name.</summary>
    public const string ContainerName = "seaweedfs";

    /// <summary>The S3 port's name on the container and the Service.</summary>
    public const string PortName = "s3";

    /// <summary>
    /// The S3 gateway's port: <c>weed mini</c>'s <c>-s3.port</c> default (weed/command/mini.go), also the port the
    /// image's Dockerfile exposes for S3.
    /// </summary>
    public const int Port = 8333;

    /// <summary>Deployment, Service, PVC, Secret and NetworkPolicy share this name: <c>&lt;name&gt;-s3</c>.</summary>
    public static string Of(string environmentName) => $"{environmentName}-s3";

    /// <summary>The Secret key holding the access key id; the same name as the env var every consumer reads.</summary>
    public const string AccessKeyIdKey = "AWS_ACCESS_KEY_ID";

    /// <summary>The Secret key holding the secret access key; the same name as the env var every consumer reads.</summary>
    public const string SecretAccessKeyKey = "AWS_SECRET_ACCESS_KEY";

    /// <summary>The in-cluster endpoint: plain http to the Service's DNS name, port <see cref="Port"/>.</summary>
    public static string Endpoint(string environmentName, string ns) =>
        string.Create(CultureInfo.InvariantCulture, $"http://{Of(environmentName)}.{ns}.svc:{Port}");

    /// <summary>The pod selector: only labels that never change for the life of an environment.</summary>
    public static SortedDictionary<string, string> Selector(string environmentName) =>
        StandardLabels.Selector(environmentName, App, Component);

    /// <summary>Pod labels; like the notebook's, without the inventory label, since pods are not applied objects.</summary>
    public static SortedDictionary<string, string> PodLabels(string environmentName) =>
        StandardLabels.PodTemplate(environmentName, App, Component);
}
