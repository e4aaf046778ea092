using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kindling.Cluster.Kubeconfig;

/// <summary>
/// Reads kubeconfig files with YamlDotNet's representation model (no reflection, no KubernetesClient YAML type
/// map: that static constructor alone cost ~380 ms of a cold start) and merges them the way kubectl does.
/// </summary>
/// <remarks>
/// Rules from client-go <c>tools/clientcmd/loader.go</c> (<c>ClientConfigLoadingRules.Load</c>,
/// <c>ResolveLocalPaths</c>): files are taken in order; the first file to define a cluster, user or context name
/// wins the whole entry; the first non-empty <c>current-context</c> wins; a file that does not exist is skipped,
/// one that cannot be parsed is an error; <c>certificate-authority</c>, <c>client-certificate</c>,
/// <c>client-key</c>, <c>tokenFile</c> and an exec <c>command</c> containing a path separator are relative to the
/// directory of the file that names them.
/// </remarks>
internal static class KubeconfigLoader
{
    /// <summary>Loads and merges <paramref name="files"/> (existing, readable files in precedence order).</summary>
    /// <param name="files">The files.</param>
    /// <param name="argument">Where the files came from (<c>--kubeconfig</c>, <c>KUBECONFIG</c>), for errors.</param>
    public static Kubeconfig Load(IReadOnlyList<string> files, string argument)
    {
        var errors = new List<InputError>();
        string? current = null;
        var contexts = new Dictionary<string, KubeconfigContext>(StringComparer.Ordinal);
        var clusters = new Dictionary<string, KubeconfigCluster>(StringComparer.Ordinal);
        var users = new Dictionary<string, KubeconfigUser>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var path = Path.GetFullPath(file);
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(new InputError(null, argument, $"cannot read kubeconfig {path}: {e.Message}"));
                continue;
            }
            var parsed = new FileReader(path, argument, errors).Read(text);
            if (parsed is null) continue;
            if (string.IsNullOrEmpty(current)) current = parsed.CurrentContext;
            foreach (var c in parsed.Contexts) contexts.TryAdd(c.Name, c);
            foreach (var c in parsed.Clusters) clusters.TryAdd(c.Name, c);
            foreach (var u in parsed.Users) users.TryAdd(u.Name, u);
        }
        if (errors.Count > 0) throw new InvalidInputException(errors);
        return new Kubeconfig(string.IsNullOrEmpty(current) ? null : current, contexts, clusters, users, files.Select(Path.GetFullPath).ToList());
    }

    private sealed record FileContent(string? CurrentContext, List<KubeconfigContext> Contexts, List<KubeconfigCluster> Clusters, List<KubeconfigUser> Users);

    private sealed class FileReader(string path, string argument, List<InputError> errors)
    {
        private readonly string directory = Path.GetDirectoryName(path)!;

        public FileContent? Read(string text)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                errors.Add(new InputError(new SourceLocation(path, (int)e.Start.Line, (int)e.Start.Column), argument,
                    $"not a valid kubeconfig: YAML syntax error: {e.Message}"));
                return null;
            }
            var content = new FileContent(null, [], [], []);
            // An empty file is an empty config, as for kubectl.
            if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode)) return content;
            if (stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                Error(stream.Documents[0].RootNode, "not a valid kubeconfig: the top level must be a mapping (apiVersion, kind, clusters, users, contexts)");
                return null;
            }
            var before = errors.Count;
            content = content with { CurrentContext = String(root, "current-context") };
            foreach (var (name, body) in Named(root, "contexts", "context"))
                content.Contexts.Add(new KubeconfigContext(name, path, String(body, "cluster"), String(body, "user"), String(body, "namespace")));
            foreach (var (name, body) in Named(root, "clusters", "cluster"))
                content.Clusters.Add(Cluster(name, body));
            foreach (var (name, body) in Named(root, "users", "user"))
                content.Users.Add(User(name, body));
            return errors.Count > before ? null : content;
        }

        private KubeconfigCluster Cluster(string name, YamlMappingNode? body) => new(name, path)
        {
            Server = String(body, "server"),
            CertificateAuthority = FilePath(String(body, "certificate-authority")),
            CertificateAuthorityData = String(body, "certificate-authority-data"),
            InsecureSkipTlsVerify = Bool(body, "insecure-skip-tls-verify"),
            TlsServerName = String(body, "tls-server-name"),
            ProxyUrl = String(body, "proxy-url"),
        };

        private KubeconfigUser User(string name, YamlMappingNode? body) => new(name, path)
        {
            Token = String(body, "token"),
            TokenFile = FilePath(String(body, "tokenFile")),
            ClientCertificate = FilePath(String(body, "client-certificate")),
            ClientCertificateData = String(body, "client-certificate-data"),
            ClientKey = FilePath(String(body, "client-key")),
            ClientKeyData = String(body, "client-key-data"),
            Username = String(body, "username"),
            Password = String(body, "password"),
            Exec = Exec(Mapping(body, "exec")),
            AuthProvider = String(Mapping(body, "auth-provider"), "name"),
        };

        private KubeconfigExec? Exec(YamlMappingNode? exec)
        {
            if (exec is null) return null;
            var command = String(exec, "command") ?? "";
            // client-go resolves the command against the file only when it is a path, not a name looked up in PATH.
            if (command.Contains(Path.DirectorySeparatorChar)) command = FilePath(command)!;
            var env = new List<KeyValuePair<string, string>>();
            foreach (var item in Sequence(exec, "env"))
            {
                if (item is YamlMappingNode pair && String(pair, "name") is { Length: > 0 } key) env.Add(new(key, String(pair, "value") ?? ""));
                else Error(item, "exec env entries need a name and a value");
            }
            var args = new List<string>();
            foreach (var item in Sequence(exec, "args"))
            {
                if (item is YamlScalarNode { Value: { } arg }) args.Add(arg);
                else Error(item, "exec args must be strings");
            }
            return new KubeconfigExec(command, String(exec, "apiVersion") ?? "")
            {
                Args = args,
                Env = env,
                InstallHint = String(exec, "installHint"),
                ProvideClusterInfo = Bool(exec, "provideClusterInfo"),
                InteractiveMode = String(exec, "interactiveMode") is { Length: > 0 } mode ? mode : "IfAvailable",
            };
        }

        private string? FilePath(string? value) =>
            string.IsNullOrEmpty(value) || Path.IsPathRooted(value) ? value : Path.GetFullPath(Path.Combine(directory, value));

        /// <summary>The entries of a named list (<c>- name: x</c> + <c>cluster: {...}</c>); entries without a name are errors.</summary>
        private IEnumerable<(string Name, YamlMappingNode? Body)> Named(YamlMappingNode root, string list, string bodyKey)
        {
            foreach (var item in Sequence(root, list))
            {
                if (item is not YamlMappingNode entry || String(entry, "name") is not { Length: > 0 } name)
                {
                    Error(item, $"every entry of {list} needs a name");
                    continue;
                }
                yield return (name, Mapping(entry, bodyKey));
            }
        }

        private IEnumerable<YamlNode> Sequence(YamlMappingNode? map, string key)
        {
            if (map is null || !map.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node)) return [];
            if (node is YamlSequenceNode seq) return seq.Children;
            Error(node, $"{key} must be a list");
            return [];
        }

        private YamlMappingNode? Mapping(YamlMappingNode? map, string key)
        {
            if (map is null || !map.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node)) return null;
            if (node is YamlMappingNode child) return child;
            Error(node, $"{key} must be a mapping");
            return null;
        }

        private string? String(YamlMappingNode? map, string key)
        {
            if (map is null || !map.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node)) return null;
            if (node is YamlScalarNode scalar) return scalar.Value;
            Error(node, $"{key} must be a string");
            return null;
        }

        private bool Bool(YamlMappingNode? map, string key)
        {
            var text = String(map, key);
            if (text is null) return false;
            // Go's YAML reader (sigs.k8s.io/yaml, YAML 1.1) takes true/false in any of these spellings.
            switch (text.ToLowerInvariant())
            {
                case "true" or "yes" or "on" or "y": return true;
                case "false" or "no" or "off" or "n": return false;
                default:
                    Error(map!.Children[new YamlScalarNode(key)], $"{key} must be true or false");
                    return false;
            }
        }

        private void Error(YamlNode node, string message) =>
            errors.Add(new InputError(new SourceLocation(path, (int)node.Start.Line, (int)node.Start.Column), argument, message));
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };
}
