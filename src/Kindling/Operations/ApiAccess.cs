using Kindling.Configuration;

namespace Kindling.Operations;

/// <summary>Who may reach the EKS API, decided for one infra run.</summary>
/// <param name="Spec">The spec with <c>aws.apiAccessCidrs</c> filled in when it was looked up.</param>
/// <param name="Description">One line for the user: what the endpoint admits and why.</param>
internal sealed record ApiAccess(EnvironmentSpec Spec, string Description)
{
    /// <summary>The allow-list used against an emulator, which has no internet-facing endpoint to protect.</summary>
    public const string EmulatorCidr = "127.0.0.1/32";

    /// <summary>
    /// Resolves <c>aws.apiAccessCidrs</c>. Set, or <c>aws.privateApi</c>: as configured. Unset: the public address
    /// of this machine, /32 (CIS EKS benchmark 5.4.1: restrict the public endpoint; never 0.0.0.0/0 silently).
    /// With <c>aws.endpoint</c> (an emulator) nothing is looked up and <see cref="EmulatorCidr"/> is used.
    /// <paramref name="lookUp"/> false (destroy) never asks the network: a destroy plan does not use the value.
    /// </summary>
    public static async Task<ApiAccess> ResolveAsync(EnvironmentSpec spec, IPublicAddressLookup lookup, bool lookUp, CancellationToken cancellationToken)
    {
        var aws = spec.Aws;
        if (aws.PrivateApi) return new ApiAccess(spec, "EKS API endpoint: private only (aws.privateApi); reach it from inside the VPC");
        if (aws.ApiAccessCidrs is { } cidrs)
            return new ApiAccess(spec, $"EKS API endpoint: public, open to {string.Join(", ", cidrs)} only (aws.apiAccessCidrs)");
        if (aws.Endpoint is not null)
        {
            return new ApiAccess(With(spec, EmulatorCidr),
                $"EKS API endpoint: aws.endpoint is set, so no public-address lookup against an emulator; allow-list {EmulatorCidr} (set aws.apiAccessCidrs for real AWS)");
        }
        if (!lookUp) return new ApiAccess(With(spec, EmulatorCidr), "EKS API endpoint: allow-list not looked up (not needed to destroy)");

        System.Net.IPAddress address;
        try
        {
            address = await lookup.LookupAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KindlingException e)
        {
            throw new KindlingException(
                $"Kindling limits the EKS API endpoint to this machine's public address, but could not find it: {e.Message}. " +
                "Set aws.apiAccessCidrs in kindling.yaml (e.g. [\"203.0.113.7/32\"]), or aws.privateApi: true", e);
        }
        var cidr = $"{address}/32";
        return new ApiAccess(With(spec, cidr),
            $"EKS API endpoint: public, open to {cidr} only: this machine's public address ({lookup.Source}); set aws.apiAccessCidrs to admit others");
    }

    private static EnvironmentSpec With(EnvironmentSpec spec, string cidr) => spec with { Aws = spec.Aws with { ApiAccessCidrs = [cidr] } };
}
