using Kindling.Tools;

namespace Kindling.Images;

/// <summary>Asks an image's registry about it: ECR through the AWS CLI (its credentials), any other registry over the OCI distribution API.</summary>
internal static class RemoteImages
{
    /// <summary>What the registry says about <paramref name="reference"/>; never throws for an unreachable registry or a missing tool.</summary>
    public static async Task<RemoteImage> ReadAsync(string reference, ToolEnvironment tools, HttpMessageHandler handler, string? awsEndpoint, CancellationToken cancellationToken)
    {
        var image = ImageReference.Parse(reference);
        try
        {
            return RegistryHost.IsEcr(image.Registry)
                ? await new EcrImageReader(tools, handler, awsEndpoint).ReadAsync(image, cancellationToken).ConfigureAwait(false)
                : await new RegistryImageReader(handler, new RegistryCredentials(tools)).ReadAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalToolException e)
        {
            return RemoteImage.Unknown(e.Message);
        }
    }
}
