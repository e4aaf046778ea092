using System.CommandLine;

namespace Kindling.Cli.Commands;

/// <summary>
/// <c>kindling completion bash|zsh|fish|pwsh</c>: prints a script that asks kindling itself for completions through
/// System.CommandLine's <c>[suggest:N]</c> directive (the protocol dotnet-suggest uses), so completions always
/// match this binary's commands, options and <c>-o</c> values, and no extra tool is needed.
/// </summary>
internal static class CompletionCommand
{
    private static readonly Dictionary<string, (string Install, string Script)> Shells = new(StringComparer.Ordinal)
    {
        ["bash"] = ("echo 'source <(kindling completion bash)' >> ~/.bashrc", """
            # kindling completion for bash: source <(kindling completion bash)
            _kindling_complete() {
                local IFS=$'\n'
                local candidates
                candidates=$(kindling "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)
                COMPREPLY=( $(compgen -W "${candidates}" -- "${COMP_WORDS[COMP_CWORD]}") )
            }
            complete -o default -F _kindling_complete kindling
            """),
        ["zsh"] = ("echo 'source <(kindling completion zsh)' >> ~/.zshrc", """
            # kindling completion for zsh: source <(kindling completion zsh)
            _kindling_zsh_complete() {
                local candidates
                candidates="$(kindling "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)"
                reply=( "${(ps:\n:)candidates}" )
            }
            compctl -K _kindling_zsh_complete kindling
            """),
        ["fish"] = ("kindling completion fish > ~/.config/fish/completions/kindling.fish", """
            # kindling completion for fish: kindling completion fish > ~/.config/fish/completions/kindling.fish
            complete -c kindling -f -a '(set -l line (commandline -cp); kindling "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null)'
            """),
        ["pwsh"] = ("kindling completion pwsh >> $PROFILE", """
            # kindling completion for PowerShell: kindling completion pwsh >> $PROFILE
            Register-ArgumentCompleter -Native -CommandName kindling -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                kindling "[suggest:$cursorPosition]" "$commandAst" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }
            """),
    };

    public static Command Create(CliContext ctx)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh, fish or pwsh" };
        shell.AcceptOnlyFromAmong([.. Shells.Keys]);
        var command = new Command("completion", "Print the shell completion script for bash, zsh, fish or pwsh");
        command.Arguments.Add(shell);
        CommandAction.Set(command, ctx, (parse, _) =>
        {
            var (install, script) = Shells[parse.GetValue(shell)!];
            ctx.Stdout.WriteLine(script);
            if (ctx.Interactive) ctx.Stderr.WriteLine($"To install it: {install}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
