using Kindling.Tools;

namespace Kindling.Images;

/// <summary>The external tools the images commands run.</summary>
internal static class ImageTools
{
    // One list for both: docker's ECR credential helper reads the AWS variables, and aws ignores docker's.
    private static readonly ToolVariables Variables = new(
    [
        .. ToolVariables.Basics,
        "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH",
        .. ToolVariables.AwsCredentials,
    ]);

    /// <summary>The docker CLI, which builds, logs in and pushes.</summary>
    public static ExternalTool Docker { get; } = new("docker",
        "Install Docker (https://docs.docker.com/get-docker/), or set images.build: false and give images explicitly.", Variables);

    /// <summary>The AWS CLI, which issues the ECR login password.</summary>
    public static ExternalTool Aws { get; } = new("aws",
        "Install the AWS CLI (https://aws.amazon.com/cli/) to log in to ECR, or log in with 'docker login' yourself.", Variables);
}
