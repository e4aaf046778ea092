using Kindling.Tools;

namespace Kindling.Images;

/// <summary>Where to log in to ECR.</summary>
/// <param name="RegistryHost">The registry host, e.g. <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com</c>.</param>
/// <param name="Region">The AWS region of the registry.</param>
/// <param name="Endpoint">An endpoint override for the ECR API (<c>aws.endpoint</c>: LocalStack, moto); null for AWS.</param>
internal sealed record EcrLoginTarget(string RegistryHost, string Region, string? Endpoint);

/// <summary>
/// Docker login to ECR: <c>aws ecr get-login-password</c>'s standard output is streamed straight into
/// <c>docker login --password-stdin</c>'s standard input. The password is never turned into a string, never on
/// a command line, and never in output or exceptions (neither tool echoes it on standard error).
/// </summary>
internal sealed class EcrLogin(ToolEnvironment environment, DockerRunner docker)
{
    // ECR's docker credentials always use this user name; the password is a 12-hour token.
    private const string EcrUser = "AWS";

    /// <summary>Logs docker in to <paramref name="target"/>.</summary>
    /// <exception cref="ExternalToolException">aws or docker is missing or failed; aws's failure is reported first.</exception>
    public async Task LoginAsync(EcrLoginTarget target, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "ecr", "get-login-password", "--region", target.Region };
        if (target.Endpoint is not null)
        {
            arguments.Add("--endpoint-url");
            arguments.Add(target.Endpoint);
        }
        using var aws = ToolProcess.Start(new ToolRunOptions
        {
            Tool = ImageTools.Aws,
            Arguments = arguments,
            Environment = environment,
            Output = ToolOutput.Raw,
        });
        using var login = StartLoginOrStop(aws, target.RegistryHost);

        // aws first: its exit ends the password stream, and docker login then sees the end of its input.
        var awsResult = await aws.WaitAsync(cancellationToken);
        var loginResult = await login.WaitAsync(cancellationToken);

        // aws's failure first: when it failed, docker only saw an empty password, which is not the reason to report.
        if (awsResult.ExitCode != 0)
            throw new ExternalToolException(ImageTools.Aws.Name, awsResult.ExitCode, awsResult.Tail,
                $"getting an ECR login password for {target.RegistryHost} (region {target.Region}) failed");
        if (loginResult.ExitCode != 0)
            throw new ExternalToolException(ImageTools.Docker.Name, loginResult.ExitCode, loginResult.Tail,
                $"logging in to {target.RegistryHost} failed");
    }

    private ToolProcess StartLoginOrStop(ToolProcess aws, string registryHost)
    {
        try
        {
            return docker.StartLogin(registryHost, EcrUser, aws.StandardOutput);
        }
        catch
        {
            aws.Kill();
            throw;
        }
    }
}
