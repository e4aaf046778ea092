using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kindling.Cluster;

/// <summary>
/// Loads the machine's trust store on a background thread as soon as a command knows it will open a TLS
/// connection, so the load overlaps the command's own start-up work instead of stalling its first request.
/// On Linux every TLS handshake builds an X509Chain, and the first chain of a process reads the whole system
/// store — the bundle file and each file of <c>/etc/ssl/certs</c> — even when only the kubeconfig's CA is
/// trusted (dotnet/runtime <c>OpenSslX509ChainProcessor.InitiateChain</c> always calls
/// <c>OpenSslCachedSystemStoreProvider.GetNativeCollections</c>): about 100 ms of CPU once per process.
/// The provider caches what it loaded for the process, so the handshake then finds it ready.
/// </summary>
public static class TrustStoreWarmup
{
    private static int started;

    /// <summary>Starts the load once per process; never blocks and never throws.</summary>
    /// <param name="anchor">A certificate to build a chain for (the kubeconfig's CA); null opens the machine root store instead.</param>
    public static void Start(X509Certificate2? anchor)
    {
        if (Interlocked.Exchange(ref started, 1) == 1 || !OperatingSystem.IsLinux()) return;
        var thread = new Thread(() => Load(anchor)) { IsBackground = true, Name = "trust store warm-up" };
        thread.Start();
    }

    private static void Load(X509Certificate2? anchor)
    {
        try
        {
            if (anchor is not null)
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.DisableCertificateDownloads = true;
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(anchor);
                chain.Build(anchor);
            }
            else
            {
                using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
                store.Open(OpenFlags.ReadOnly);
                _ = store.Certificates.Count;
            }
        }
        catch (CryptographicException)
        {
            // Only a head start: the handshake loads the store itself and reports any real problem.
        }
    }
}
