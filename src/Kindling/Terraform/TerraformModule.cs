using Kindling.Configuration;

namespace Kindling.Terraform;

/// <summary>
/// The self-contained Terraform module for an environment: plain <c>aws_*</c> resources only, because registry
/// modules cannot be downloaded on offline machines. Values from kindling.yaml become variable defaults, so the
/// module also works on its own with <c>terraform apply</c>.
/// </summary>
public static class TerraformModule
{
    /// <summary>The folder the module is rendered into, under the output directory.</summary>
    public const string Folder = "terraform";

    /// <summary>The provider constraint; the offline mirror on build machines holds 5.100.0.</summary>
    public const string AwsProviderVersion = "~> 5.100";

    /// <summary>Renders <c>versions.tf</c>, <c>variables.tf</c>, <c>main.tf</c> and <c>outputs.tf</c>.</summary>
    public static IReadOnlyList<RenderedFile> Render(EnvironmentSpec spec) =>
    [
        new($"{Folder}/versions.tf", Versions),
        new($"{Folder}/variables.tf", VariablesFile.Render(spec)),
        new($"{Folder}/main.tf", MainFile.Render(spec)),
        new($"{Folder}/outputs.tf", OutputsFile.Render()),
        new($"{Folder}/history.tf", HistoryFile.Render(spec)),
    ];

    private const string Versions =
        $$"""
        terraform {
          required_version = ">= 1.5.0"

          required_providers {
            aws = {
              source  = "hashicorp/aws"
              version = "{{AwsProviderVersion}}"
            }
          }
        }

        """;
}
