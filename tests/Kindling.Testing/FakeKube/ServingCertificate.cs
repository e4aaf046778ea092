using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// A throwaway CA and a serving certificate for 127.0.0.1/localhost. The fake serves HTTPS because client-go
/// (kubectl) refuses to send bearer tokens over plain HTTP; the CA goes into the kubeconfig as
/// certificate-authority-data, exactly as a kind or EKS kubeconfig carries its cluster CA.
/// </summary>
internal sealed class ServingCertificate : IDisposable
{
    private ServingCertificate(X509Certificate2 server, string caPem)
    {
        Server = server;
        CaPem = caPem;
    }

    public X509Certificate2 Server { get; }

    public string CaPem { get; }

    public static ServingCertificate Create()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=fake-kube-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        san.AddDnsName("kubernetes.default.svc");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);
        using var withKey = signed.CopyWithPrivateKey(serverKey);

        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new ServingCertificate(server, ca.ExportCertificatePem());
    }

    public void Dispose() => Server.Dispose();
}
