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
/// Opening the machine root store loads the same cached collections, so the handshake then finds them ready.
/// </summary>
public static class TrustStoreWarmup
{
    private static int started;

    /// <summary>Starts the load once per process; never blocks and never throws.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref started, 1) == 1 || !OperatingSystem.IsLinux()) return;
        var thread = new Thread(Load) { IsBackground = true, Name = "trust store warm-up" };
        thread.Start();
    }

    private static void Load()
    {
        try
        {
            using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly);
            _ = store.Certificates.Count;
        }
        catch (CryptographicException)
        {
            // Only a head start: the handshake loads the store itself and reports any real problem.
        }
    }
}
