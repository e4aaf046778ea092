namespace Kindling.Cluster.Kubeconfig;

/// <summary>
/// The parts of a kubeconfig (client-go's <c>clientcmd/api/v1</c> <c>Config</c>) Kindling uses to reach a cluster,
/// merged from every file as kubectl merges them. File paths are already absolute, resolved against the directory
/// of the file that named them.
/// </summary>
internal sealed record Kubeconfig(
    string? CurrentContext,
    IReadOnlyDictionary<string, KubeconfigContext> Contexts,
    IReadOnlyDictionary<string, KubeconfigCluster> Clusters,
    IReadOnlyDictionary<string, KubeconfigUser> Users,
    IReadOnlyList<string> Files);

/// <summary>A named context; <see cref="Origin"/> is the file it came from.</summary>
internal sealed record KubeconfigContext(string Name, string Origin, string? Cluster, string? User, string? Namespace);

/// <summary>A named cluster entry.</summary>
internal sealed record KubeconfigCluster(string Name, string Origin)
{
    public string? Server { get; init; }
    public string? CertificateAuthority { get; init; }
    public string? CertificateAuthorityData { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }
    public string? TlsServerName { get; init; }
    public string? ProxyUrl { get; init; }
}

/// <summary>A named user (client-go's <c>AuthInfo</c>).</summary>
internal sealed record KubeconfigUser(string Name, string Origin)
{
    public string? Token { get; init; }
    public string? TokenFile { get; init; }
    public string? ClientCertificate { get; init; }
    public string? ClientCertificateData { get; init; }
    public string? ClientKey { get; init; }
    public string? ClientKeyData { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public KubeconfigExec? Exec { get; init; }

    /// <summary>The name of an <c>auth-provider</c> (gcp, azure, oidc): removed from kubectl, so it is reported, not used.</summary>
    public string? AuthProvider { get; init; }
}

/// <summary>An <c>exec</c> credential plugin (client-go's <c>ExecConfig</c>).</summary>
internal sealed record KubeconfigExec(string Command, string ApiVersion)
{
    public IReadOnlyList<string> Args { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];
    public string? InstallHint { get; init; }
    public bool ProvideClusterInfo { get; init; }

    /// <summary><c>Never</c>, <c>IfAvailable</c> (client-go's default for v1beta1) or <c>Always</c>.</summary>
    public string InteractiveMode { get; init; } = "IfAvailable";
}
