namespace Kindling.Testing.FakeKube;

/// <summary>Hands out Service cluster IPs (10.96/12) and pod IPs (10.244/16) the way the allocators would.</summary>
internal sealed class ClusterNetwork
{
    private int _serviceIps = 10;
    private int _podIps = 10;

    public string NextServiceIp()
    {
        var n = Interlocked.Increment(ref _serviceIps);
        return $"10.96.{n / 250}.{n % 250 + 1}";
    }

    public string NextPodIp()
    {
        var n = Interlocked.Increment(ref _podIps);
        return $"10.244.{n / 250}.{n % 250 + 1}";
    }
}
