using Kindling.Images;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary>Text output of <c>kindling images</c>.</summary>
internal static class ImagesOutput
{
    public static void WriteText(TextWriter writer, ImagesResult result)
    {
        if (!result.Build)
        {
            writer.WriteLine("Nothing to build: images.build is false. The images are used as given:");
        }
        else
        {
            writer.WriteLine($"Images (tag {result.Tag}):");
        }
        var width = result.Images.Max(i => i.Name.Length);
        var referenceWidth = result.Images.Max(i => i.Reference.Length);
        foreach (var image in result.Images)
        {
            var action = image.Action switch
            {
                ImageAction.Built => "built",
                ImageAction.Unchanged => "unchanged",
                _ => "given",
            };
            if (image.Pushed) action += ", pushed";
            writer.WriteLine($"  {image.Name.PadRight(width)}  {image.Reference.PadRight(referenceWidth)}  {action} (from {Describe(image.Source)})");
        }
        foreach (var host in result.RegistryLogins) writer.WriteLine($"Logged in to {host}");
        if (result.ContextDirectory is not null) writer.WriteLine($"Build contexts: {result.ContextDirectory}");
    }

    private static string Describe(ImageSource source) => source switch
    {
        ImageSource.Config => "kindling.yaml image",
        ImageSource.Registry => "images.registry",
        ImageSource.TerraformOutputs => "Terraform outputs",
        _ => "local default",
    };
}
