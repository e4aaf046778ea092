using System.Net;
using System.Net.Sockets;

namespace Kindling.Operations;

/// <summary>Finds the public IPv4 address this machine reaches the internet from.</summary>
public interface IPublicAddressLookup
{
    /// <summary>Where the answer comes from, for the message that reports it.</summary>
    string Source { get; }

    /// <summary>The address, or an exception saying why there is none.</summary>
    Task<IPAddress> LookupAsync(CancellationToken cancellationToken);
}

/// <summary>
/// AWS's own "what is my IP" service: <c>https://checkip.amazonaws.com</c> answers with the caller's public
/// address as one line of text. It sees the address the EKS endpoint will see (after NAT or a proxy).
/// </summary>
public sealed class CheckIpLookup(HttpClient? client = null) : IPublicAddressLookup
{
    private static readonly Uri Service = new("https://checkip.amazonaws.com/");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public string Source => "checkip.amazonaws.com";

    /// <inheritdoc />
    public async Task<IPAddress> LookupAsync(CancellationToken cancellationToken)
    {
        using var owned = client is null ? new HttpClient() : null;
        var http = client ?? owned!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        string text;
        try
        {
            text = await http.GetStringAsync(Service, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new KindlingException($"{Source} did not answer ({(e is OperationCanceledException ? $"no answer in {Timeout.TotalSeconds:0} s" : e.Message)})", e);
        }
        return Parse(text, Source);
    }

    /// <summary>The service's answer: one IPv4 address, surrounding whitespace allowed.</summary>
    internal static IPAddress Parse(string text, string source)
    {
        var trimmed = text.Trim();
        if (IPAddress.TryParse(trimmed, out var address) && address.AddressFamily == AddressFamily.InterNetwork &&
            trimmed.Count(c => c == '.') == 3)
        {
            return address;
        }
        var shown = trimmed.Length > 60 ? trimmed[..60] + "..." : trimmed;
        throw new KindlingException($"{source} answered '{shown}', which is not an IPv4 address");
    }
}
