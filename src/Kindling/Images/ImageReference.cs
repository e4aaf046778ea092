namespace Kindling.Images;

/// <summary>An image reference split as the Docker/OCI tooling splits it.</summary>
/// <param name="Registry">The registry host (with port); <c>registry-1.docker.io</c> for Docker Hub.</param>
/// <param name="Repository">The repository path; Docker Hub's official images live under <c>library/</c>.</param>
/// <param name="Reference">The tag or <c>sha256:</c> digest.</param>
public sealed record ImageReference(string Registry, string Repository, string Reference)
{
    /// <summary>Docker Hub's API host (what <c>docker.io</c> references are pulled from).</summary>
    public const string DockerHub = "registry-1.docker.io";

    /// <summary>Parses <c>host/repo:tag</c>, <c>repo@sha256:...</c>, <c>name</c> (Docker Hub, <c>latest</c>).</summary>
    public static ImageReference Parse(string reference)
    {
        var host = RegistryHost.Of(reference);
        var rest = host is null ? reference : reference[(host.Length + 1)..];
        string repository, tag;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            repository = rest[..at];
            tag = rest[(at + 1)..];
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            (repository, tag) = colon > rest.LastIndexOf('/') && colon >= 0 ? (rest[..colon], rest[(colon + 1)..]) : (rest, "latest");
        }
        if (host is null or "docker.io" or "index.docker.io")
        {
            host = DockerHub;
            if (!repository.Contains('/', StringComparison.Ordinal)) repository = "library/" + repository;
        }
        return new ImageReference(host, repository, tag);
    }

    /// <summary>
    /// Whether the registry is spoken to over plain HTTP: Docker treats registries on loopback addresses as
    /// insecure by default (docker docs, "Test an insecure registry"), as local kind/minikube registries are.
    /// </summary>
    public bool PlainHttp
    {
        get
        {
            var hostOnly = Registry.StartsWith('[') ? Registry[..(Registry.IndexOf(']') + 1)] : Registry.Split(':')[0];
            return hostOnly is "localhost" or "[::1]" || hostOnly.StartsWith("127.", StringComparison.Ordinal);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Registry}/{Repository}{(Reference.StartsWith("sha256:", StringComparison.Ordinal) ? "@" : ":")}{Reference}";
}

/// <summary>What a registry said about one image.</summary>
/// <param name="Exists">True when the registry answered for the tag, false when it said it does not exist, null when it could not be asked.</param>
/// <param name="Detail">Why it does not exist or could not be asked (never a credential).</param>
/// <param name="Platforms">The platforms it is built for (<c>linux/amd64</c>), when known.</param>
/// <param name="Labels">The image config's labels, when known.</param>
public sealed record RemoteImage(bool? Exists, string Detail, IReadOnlyList<string> Platforms, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>An image that could not be looked up.</summary>
    public static RemoteImage Unknown(string detail) => new(null, detail, [], new Dictionary<string, string>());

    /// <summary>An image the registry says does not exist.</summary>
    public static RemoteImage Missing(string detail) => new(false, detail, [], new Dictionary<string, string>());
}
