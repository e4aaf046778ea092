using System.CommandLine;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling images build [-f kindling.yaml] [--tag T] [-o json]</c>.</summary>
internal static class ImagesBuildCommand
{
    public static Command Create(CliContext ctx) =>
        ImagesCommand.Verb(ctx, "build",
            "Build the Spark image, then the Jupyter image FROM it; an image built from unchanged Dockerfiles is not rebuilt",
            ImagesBuildOperation.RunAsync);
}
