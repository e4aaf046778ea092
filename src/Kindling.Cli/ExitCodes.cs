namespace Kindling.Cli;

/// <summary>The process exit codes. They are decided here and only here.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;
}
