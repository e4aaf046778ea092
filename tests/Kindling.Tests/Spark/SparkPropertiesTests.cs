using Kindling.Spark;

namespace Kindling.Tests.Spark;

public sealed class SparkPropertiesTests
{
    [Fact]
    public void Writes_sorted_escaped_lines()
    {
        var text = SparkProperties.Write(new Dictionary<string, string>
        {
            ["z.key"] = "plain",
            ["a key:with=separators"] = " leading space, inner space",
            ["b"] = "tab\there\nnewline #!\\ backslash",
            ["c"] = "naïve €",
        }, "header");

        text.Should().Be(
            "#header\n" +
            "a\\ key\\:with\\=separators=\\ leading space, inner space\n" +
            "b=tab\\there\\nnewline \\#\\!\\\\ backslash\n" +
            "c=na\\u00EFve \\u20AC\n" +
            "z.key=plain\n");
    }

    [Fact]
    public void Java_reads_back_the_same_properties()
    {
        var java = Kindling.Testing.RequiredTool.Find("java", "install a JDK (apt-get install -y openjdk-17-jdk-headless)");
        var entries = new Dictionary<string, string>
        {
            ["spark.kubernetes.executor.annotation.sidecar.istio.io/inject"] = "false",
            ["weird key = : # !"] = "  value with \\ and \t and \n and ünïcode and = : # !",
            ["spark.driver.extraJavaOptions"] = "-Dfoo=bar -Dx=\"y z\"",
        };
        using var dir = new TempDir();
        var props = dir.Write("spark.properties", SparkProperties.Write(entries, "test"));
        var source = dir.Write("Dump.java", """
            import java.io.*; import java.util.*;
            public class Dump { public static void main(String[] a) throws Exception {
              Properties p = new Properties();
              try (Reader r = new InputStreamReader(new FileInputStream(a[0]), "UTF-8")) { p.load(r); }
              for (String k : new TreeSet<>(p.stringPropertyNames()))
                System.out.print(Base64.getEncoder().encodeToString(k.getBytes("UTF-8")) + " " + Base64.getEncoder().encodeToString(p.getProperty(k).getBytes("UTF-8")) + "\n");
            } }
            """);
        var psi = new System.Diagnostics.ProcessStartInfo(java) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(source);
        psi.ArgumentList.Add(props);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, stderr);

        var read = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(p[0])), p => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(p[1])));
        read.Should().BeEquivalentTo(entries);
    }
}
