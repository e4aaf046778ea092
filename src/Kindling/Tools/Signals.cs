using System.Runtime.InteropServices;

namespace Kindling.Tools;

/// <summary>POSIX signals to child processes; .NET can only kill them, not interrupt them.</summary>
internal static class Signals
{
    // SIGINT is 2 on Linux and macOS. terraform, for one, treats it as "stop after the in-flight operations and save the state".
    private const int SigInt = 2;

    /// <summary>Sends SIGINT to <paramref name="pid"/>.</summary>
    public static void Interrupt(int pid)
    {
        if (Kill(pid, SigInt) != 0)
            throw new InvalidOperationException($"kill({pid}, SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    // DllImport rather than LibraryImport: the signature is blittable, and LibraryImport would need unsafe code enabled.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
