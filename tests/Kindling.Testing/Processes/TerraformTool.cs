namespace Kindling.Testing.Processes;

/// <summary>The real terraform executable and the offline provider mirror, found or failed loudly.</summary>
public static class TerraformTool
{
    public const string InstallHint =
        "Install Terraform 1.11 (https://developer.hashicorp.com/terraform/install) and put hashicorp/aws 5.100.0 in /opt/tf-plugins.";

    public static string Executable => RequiredTool.Find("terraform", InstallHint);

    /// <summary>The provider mirror: KINDLING_TF_PLUGIN_DIR, else /opt/tf-plugins.</summary>
    public static string PluginDirectory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("KINDLING_TF_PLUGIN_DIR") is { Length: > 0 } set ? set : "/opt/tf-plugins";
            if (!Directory.Exists(Path.Combine(dir, "registry.terraform.io", "hashicorp", "aws")))
                throw new InvalidOperationException($"no hashicorp/aws provider mirror in {dir}. {InstallHint}");
            return dir;
        }
    }
}
