namespace Kindling.Tests.Spark;

/// <summary>Reads a properties file through the real <c>java.util.Properties.load</c> (what spark-submit does).</summary>
internal static class JavaProperties
{
    public static IReadOnlyDictionary<string, string> Load(string propertiesPath)
    {
        var java = Kindling.Testing.RequiredTool.Find("java", "install a JDK (apt-get install -y openjdk-17-jdk-headless)");
        using var dir = new TempDir();
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
        psi.ArgumentList.Add(propertiesPath);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        var output = stdoutTask.GetAwaiter().GetResult();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, stderr);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(p[0])), p => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(p[1])));
    }
}
