using Kindling.Configuration;

namespace Kindling.Spark.Notebook;

/// <summary>
/// The notebook-side files: the IPython start-up file that gives every kernel a ready client-mode <c>spark</c>,
/// and the example notebook. Both are embedded resources, kept as real files so they can be edited and tested as
/// Python and as nbformat.
/// </summary>
public static class NotebookFiles
{
    /// <summary>File name of the start-up file; the digits make IPython run it before any later start-up file.</summary>
    public const string StartupFileName = "00-kindling-spark.py";

    /// <summary>File name of the example notebook.</summary>
    public const string PiNotebookFileName = "pi.ipynb";

    /// <summary>The start-up file's Python source.</summary>
    public static string StartupScript { get; } = ReadResource(StartupFileName);

    /// <summary>The example notebook (nbformat 4.5 JSON).</summary>
    public static string PiNotebook { get; } = ReadResource(PiNotebookFileName);

    /// <summary>
    /// <c>notebooks/</c> for the user, plus a copy of the start-up file in the jupyter image's build context
    /// (<c>images/jupyter/</c>), where its Dockerfile copies it into IPython's start-up folder. The files depend on
    /// nothing in <paramref name="spec"/>: every environment-specific value reaches them at run time through the
    /// pod's env, so a notebook keeps working when the environment is re-rendered.
    /// </summary>
    public static IReadOnlyList<RenderedFile> Render(EnvironmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return
        [
            new($"images/jupyter/{StartupFileName}", StartupScript),
            new($"notebooks/{StartupFileName}", StartupScript),
            new($"notebooks/{PiNotebookFileName}", PiNotebook),
        ];
    }

    private static string ReadResource(string fileName)
    {
        var name = $"Kindling.Spark.Notebook.{fileName}";
        using var stream = typeof(NotebookFiles).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from {typeof(NotebookFiles).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        // Normalise line endings so a Windows checkout renders the same bytes.
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }
}
