using System.CommandLine;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling images push [-f kindling.yaml] [--tag T] [-o json]</c>.</summary>
internal static class ImagesPushCommand
{
    public static Command Create(CliContext ctx) =>
        ImagesCommand.Verb(ctx, "push",
            "Build what is not built yet, log in to ECR when the registry is ECR, and push both images",
            ImagesPushOperation.RunAsync);
}
