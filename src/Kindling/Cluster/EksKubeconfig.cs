using Kindling.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Kindling.Cluster;

/// <summary>The kubeconfig entries for one EKS cluster.</summary>
/// <param name="Name">The name of the cluster, user and context entries.</param>
/// <param name="Server">API server endpoint.</param>
/// <param name="CertificateAuthorityData">Base64 PEM of the cluster CA.</param>
/// <param name="ClusterName">EKS cluster name (for <c>aws eks get-token</c>).</param>
/// <param name="Region">AWS region (for <c>aws eks get-token</c>).</param>
/// <param name="Namespace">The context's default namespace.</param>
public sealed record EksKubeconfigEntry(
    string Name, string Server, string CertificateAuthorityData, string ClusterName, string Region, string Namespace)
{
    /// <summary>The entries for the cluster Terraform reported.</summary>
    public static EksKubeconfigEntry From(TerraformOutputs outputs, EnvironmentSpec spec) => new(
        $"kindling-{outputs.ClusterName}-{spec.Aws.Region}", outputs.ClusterEndpoint, outputs.ClusterCertificateAuthority,
        outputs.ClusterName, spec.Aws.Region, spec.Namespace);
}

/// <summary>
/// Merges an EKS context into a kubeconfig. The YAML is edited as a node tree, so every other cluster, user,
/// context and unknown field stays exactly as it was (comments aside); only the entries named after this
/// cluster are replaced, and <c>current-context</c> points at it, as <c>aws eks update-kubeconfig</c> does.
/// </summary>
public static class EksKubeconfig
{
    /// <summary>The credential plugin API version <c>aws eks get-token</c> produces.</summary>
    public const string ExecApiVersion = "client.authentication.k8s.io/v1beta1";

    /// <summary>Returns the merged kubeconfig text, and the previous current-context.</summary>
    /// <exception cref="KindlingException">The existing file is not a kubeconfig.</exception>
    public static (string Yaml, string? PreviousContext) Merge(string? existing, EksKubeconfigEntry entry, string displayPath)
    {
        var root = Load(existing, displayPath);
        var previous = root.Children.TryGetValue(new YamlScalarNode("current-context"), out var current) && current is YamlScalarNode s
            ? s.Value
            : null;
        Upsert(root, "clusters", entry.Name, Map(
            ("name", Scalar(entry.Name)),
            ("cluster", Map(
                ("server", Scalar(entry.Server)),
                ("certificate-authority-data", Scalar(entry.CertificateAuthorityData))))), displayPath);
        // The exec plugin fetches a short-lived token per kubectl call from the caller's own AWS identity;
        // nothing secret is written into the file.
        Upsert(root, "users", entry.Name, Map(
            ("name", Scalar(entry.Name)),
            ("user", Map(
                ("exec", Map(
                    ("apiVersion", Scalar(ExecApiVersion)),
                    ("command", Scalar("aws")),
                    ("args", Seq("--region", entry.Region, "eks", "get-token", "--cluster-name", entry.ClusterName, "--output", "json"))))))), displayPath);
        Upsert(root, "contexts", entry.Name, Map(
            ("name", Scalar(entry.Name)),
            ("context", Map(
                ("cluster", Scalar(entry.Name)),
                ("user", Scalar(entry.Name)),
                ("namespace", Scalar(entry.Namespace))))), displayPath);
        root.Children[new YamlScalarNode("current-context")] = Scalar(entry.Name);

        var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var yaml = writer.ToString();
        // YamlStream ends every document with an explicit "..." marker; kubeconfig files don't carry one.
        if (yaml.EndsWith("...\n", StringComparison.Ordinal)) yaml = yaml[..^4];
        return (yaml, previous);
    }

    private static YamlMappingNode Load(string? existing, string displayPath)
    {
        if (string.IsNullOrWhiteSpace(existing))
        {
            return Map(
                ("apiVersion", Scalar("v1")),
                ("kind", Scalar("Config")),
                ("preferences", new YamlMappingNode()),
                ("clusters", new YamlSequenceNode()),
                ("users", new YamlSequenceNode()),
                ("contexts", new YamlSequenceNode()));
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(existing));
        }
        catch (YamlException e)
        {
            throw new KindlingException($"{displayPath} is not valid YAML ({e.Start.Line}:{e.Start.Column}: {e.Message}); it was left unchanged", e);
        }
        if (stream.Documents.Count == 0) return Load(null, displayPath);
        return stream.Documents[0].RootNode as YamlMappingNode
               ?? throw new KindlingException($"{displayPath} is not a kubeconfig (its top level is not a mapping); it was left unchanged");
    }

    private static void Upsert(YamlMappingNode root, string key, string name, YamlMappingNode item, string displayPath)
    {
        var keyNode = new YamlScalarNode(key);
        if (!root.Children.TryGetValue(keyNode, out var node) || node is YamlScalarNode { Value: null or "" or "null" or "~" })
        {
            node = new YamlSequenceNode();
            root.Children[keyNode] = node;
        }
        if (node is not YamlSequenceNode list)
            throw new KindlingException($"{displayPath}: '{key}' is not a list; the file was left unchanged");
        // An empty list is often written "[]"; the entry added to it reads better as a block, as kubectl writes it.
        if (list.Style == SequenceStyle.Flow) list.Style = SequenceStyle.Block;
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is YamlMappingNode entry &&
                entry.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode { Value: var v } && v == name)
            {
                list.Children[i] = item;
                return;
            }
        }
        list.Children.Add(item);
    }

    private static YamlScalarNode Scalar(string value) => new(value);

    private static YamlSequenceNode Seq(params string[] values) => new(values.Select(v => (YamlNode)new YamlScalarNode(v)));

    private static YamlMappingNode Map(params (string Key, YamlNode Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries) map.Add(key, value);
        return map;
    }
}
