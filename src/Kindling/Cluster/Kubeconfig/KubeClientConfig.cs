using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Authentication;

namespace Kindling.Cluster.Kubeconfig;

/// <summary>
/// Turns one context of a merged <see cref="Kubeconfig"/> into the official client's configuration, with
/// client-go's rules (<c>tools/clientcmd/client_config.go</c>, <c>validation.go</c>) for what kubectl accepts.
/// Problems are bad input naming the file that holds the entry; nothing has been contacted yet.
/// </summary>
internal static class KubeClientConfig
{
    public static (KubernetesClientConfiguration Config, KubeTarget Target) Build(Kubeconfig kubeconfig, string? contextName, string argument, TimeProvider time)
    {
        var files = string.Join(", ", kubeconfig.Files);
        var available = kubeconfig.Contexts.Count == 0 ? "none" : string.Join(", ", kubeconfig.Contexts.Keys);
        var name = contextName ?? kubeconfig.CurrentContext;
        if (string.IsNullOrEmpty(name))
            throw new InvalidInputException("--context", $"{files} has no current-context; pass --context (available: {available})");
        if (!kubeconfig.Contexts.TryGetValue(name, out var context))
            throw new InvalidInputException("--context", $"context '{name}' is not in {files} (available: {available})");

        var where = $"context '{name}' in {context.Origin}";
        if (string.IsNullOrEmpty(context.Cluster))
            throw new InvalidInputException(argument, $"{where} names no cluster; set its 'cluster'");
        if (!kubeconfig.Clusters.TryGetValue(context.Cluster, out var cluster))
            throw new InvalidInputException(argument, $"{where} names cluster '{context.Cluster}', which no kubeconfig file defines ({files})");
        var config = new KubernetesClientConfiguration { Namespace = string.IsNullOrEmpty(context.Namespace) ? null : context.Namespace };
        ApplyCluster(config, cluster);
        if (!string.IsNullOrEmpty(context.User))
        {
            if (!kubeconfig.Users.TryGetValue(context.User, out var user))
                throw new InvalidInputException(argument, $"{where} names user '{context.User}', which no kubeconfig file defines ({files})");
            ApplyUser(config, user, cluster, time);
        }
        return (config, new KubeTarget(context.Origin, name, config.Host));
    }

    private static void ApplyCluster(KubernetesClientConfiguration config, KubeconfigCluster cluster)
    {
        var where = $"cluster '{cluster.Name}' in {cluster.Origin}";
        if (string.IsNullOrWhiteSpace(cluster.Server))
            throw new InvalidInputException("--kubeconfig", $"{where} has no server; set its 'server' URL");
        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
            throw new InvalidInputException("--kubeconfig", $"{where}: server '{cluster.Server}' is not an http(s) URL");
        // client-go validation.go: a CA together with insecure-skip-tls-verify is refused, as kubectl does.
        if (cluster.InsecureSkipTlsVerify && (cluster.CertificateAuthority is not null || cluster.CertificateAuthorityData is not null))
            throw new InvalidInputException("--kubeconfig",
                $"{where} sets both a certificate authority and insecure-skip-tls-verify, which kubectl refuses; remove one");
        config.Host = cluster.Server;
        X509Certificate2Collection? trust = null;
        Uri? proxyUri = null;
        config.SkipTlsVerify = cluster.InsecureSkipTlsVerify;
        config.TlsServerName = string.IsNullOrEmpty(cluster.TlsServerName) ? null : cluster.TlsServerName;
        if (server.Scheme == "https")
        {
            try
            {
                var pem = !string.IsNullOrEmpty(cluster.CertificateAuthorityData)
                    ? Encoding.UTF8.GetString(Convert.FromBase64String(cluster.CertificateAuthorityData))
                    : !string.IsNullOrEmpty(cluster.CertificateAuthority)
                        ? File.ReadAllText(RequireFile(cluster.CertificateAuthority, where, "certificate-authority"))
                        : null;
                if (pem is not null)
                {
                    var certificates = new X509Certificate2Collection();
                    certificates.ImportFromPem(pem);
                    if (certificates.Count == 0) throw new FormatException("no CERTIFICATE block");
                    config.SslCaCerts = certificates;
                    trust = certificates;
                }
            }
            catch (Exception e) when (e is FormatException or CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException("--kubeconfig", $"{where}: the certificate authority is not a PEM certificate ({e.Message})");
            }
        }
        if (!string.IsNullOrEmpty(cluster.ProxyUrl))
        {
            // client-go accepts http, https and socks5 proxies (rest/transport.go); so does SocketsHttpHandler.
            if (!Uri.TryCreate(cluster.ProxyUrl, UriKind.Absolute, out var proxy) || proxy.Scheme is not ("http" or "https" or "socks5"))
                throw new InvalidInputException("--kubeconfig", $"{where}: proxy-url '{cluster.ProxyUrl}' is not an http, https or socks5 URL");
            proxyUri = proxy;
        }
        // Every https connection builds a chain, and the first one of a process loads the system store: start now.
        if (server.Scheme == "https") TrustStoreWarmup.Start();
        if (trust is not null || proxyUri is not null)
            config.FirstMessageHandlerSetup = handler => SetUpHandler(handler, trust, proxyUri);
    }

    /// <summary>
    /// The cluster's CA is the only root its server certificate is checked against, as client-go does: a
    /// kubeconfig CA becomes the TLS config's <c>RootCAs</c> pool alone (<c>transport/transport.go</c>,
    /// <c>rootCertPool</c>), with no system roots and no revocation or AIA fetches. Left to the default, .NET
    /// first builds a chain against the system roots, fails, and the client's callback builds a second one.
    /// (Should the CA given be an intermediate, the callback's own check still runs as before.)
    /// </summary>
    private static void SetUpHandler(SocketsHttpHandler handler, X509Certificate2Collection? trust, Uri? proxy)
    {
        if (trust is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
            policy.CustomTrustStore.AddRange(trust);
            handler.SslOptions.CertificateChainPolicy = policy;
        }
        if (proxy is not null)
        {
            handler.Proxy = new WebProxy(proxy);
            handler.UseProxy = true;
        }
    }

    private static void ApplyUser(KubernetesClientConfiguration config, KubeconfigUser user, KubeconfigCluster cluster, TimeProvider time)
    {
        var where = $"user '{user.Name}' in {user.Origin}";
        var found = false;
        // client-go: a token wins over tokenFile; basic auth only without a token; client certificates combine with either.
        if (!string.IsNullOrEmpty(user.Token))
        {
            config.AccessToken = user.Token;
            found = true;
        }
        else if (!string.IsNullOrEmpty(user.TokenFile))
        {
            // Re-read periodically, as client-go's cached token file source does, so a rotated token is picked up.
            config.TokenProvider = new TokenFileAuth(RequireFile(user.TokenFile, where, "tokenFile"));
            found = true;
        }
        else if (!string.IsNullOrEmpty(user.Username) && !string.IsNullOrEmpty(user.Password))
        {
            config.Username = user.Username;
            config.Password = user.Password;
            found = true;
        }
        if (!string.IsNullOrEmpty(user.ClientCertificateData) && !string.IsNullOrEmpty(user.ClientKeyData))
        {
            config.ClientCertificateData = user.ClientCertificateData;
            config.ClientCertificateKeyData = user.ClientKeyData;
            found = true;
        }
        else if (!string.IsNullOrEmpty(user.ClientCertificate) && !string.IsNullOrEmpty(user.ClientKey))
        {
            config.ClientCertificateFilePath = RequireFile(user.ClientCertificate, where, "client-certificate");
            config.ClientKeyFilePath = RequireFile(user.ClientKey, where, "client-key");
            found = true;
        }
        if (user.Exec is { } exec && !found)
        {
            if (string.IsNullOrWhiteSpace(exec.Command))
                throw new InvalidInputException("--kubeconfig", $"{where}: exec has no command");
            if (exec.ApiVersion is not ("client.authentication.k8s.io/v1" or "client.authentication.k8s.io/v1beta1"))
                throw new InvalidInputException("--kubeconfig",
                    $"{where}: exec apiVersion '{exec.ApiVersion}' is not supported; use client.authentication.k8s.io/v1 (or v1beta1)");
            if (exec.InteractiveMode is not ("Never" or "IfAvailable" or "Always"))
                throw new InvalidInputException("--kubeconfig", $"{where}: exec interactiveMode '{exec.InteractiveMode}' must be Never, IfAvailable or Always");
            config.TokenProvider = new ExecCredentialProvider(exec, cluster, user.Name, time);
            found = true;
        }
        if (!found && user.AuthProvider is { } provider)
            throw new InvalidInputException("--kubeconfig",
                $"{where} uses auth-provider '{provider}', which kubectl no longer supports; switch to its exec plugin (gke-gcloud-auth-plugin, kubelogin)");
    }

    private static string RequireFile(string path, string where, string key) =>
        File.Exists(path) ? path : throw new InvalidInputException("--kubeconfig", $"{where}: {key} {path} does not exist");
}
