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
    public const string AwsTool = "aws";

    public const string AwsInstallHint = "Install the AWS CLI (https://aws.amazon.com/cli/) to log in to ECR, or log in with 'docker login' yourself.";

    // ECR's docker credentials always use this user name; the password is a 12-hour token.
    private const string EcrUser = "AWS";

    public async Task LoginAsync(EcrLoginTarget target, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "ecr", "get-login-password", "--region", target.Region };
        if (target.Endpoint is not null)
        {
            arguments.Add("--endpoint-url");
            arguments.Add(target.Endpoint);
        }
        using var aws = ToolProcess.Start(environment, new ToolCommand(AwsTool, arguments, AwsInstallHint), ToolOutput.Raw);
        using var login = StartLoginOrStop(aws, target.RegistryHost);

        ToolResult awsResult;
        ToolResult loginResult;
        try
        {
            try
            {
                await aws.StandardOutput.CopyToAsync(login.StandardInput, cancellationToken);
            }
            finally
            {
                CloseQuietly(login);
            }
            awsResult = await aws.WaitAsync(cancellationToken);
            loginResult = await login.WaitAsync(cancellationToken);
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // docker login exited before reading the whole password; its own exit code and message say why.
            awsResult = await aws.WaitAsync(cancellationToken);
            loginResult = await login.WaitAsync(cancellationToken);
        }

        // aws first: when it failed, docker only saw an empty password, which is not the reason to report.
        if (awsResult.ExitCode != 0)
            throw new ExternalToolException(AwsTool, awsResult.ExitCode, awsResult.Tail,
                $"getting an ECR login password for {target.RegistryHost} (region {target.Region}) failed");
        if (loginResult.ExitCode != 0)
            throw new ExternalToolException(DockerRunner.Tool, loginResult.ExitCode, loginResult.Tail,
                $"logging in to {target.RegistryHost} failed");
    }

    private static void CloseQuietly(ToolProcess login)
    {
        try
        {
            login.CloseInput();
        }
        catch (IOException)
        {
            // docker login already exited; its exit code is reported below.
        }
    }

    private ToolProcess StartLoginOrStop(ToolProcess aws, string registryHost)
    {
        try
        {
            return docker.StartLogin(registryHost, EcrUser);
        }
        catch
        {
            aws.Kill();
            throw;
        }
    }
}
