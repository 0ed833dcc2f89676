package cli

import (
	"github.com/spf13/cobra"
)

// completionCmd prints a shell's completion script, cobra's.
func completionCmd(s Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "Print a shell's completion script",
		Long: `Prints a script that completes hitmiss's commands, flags, bundled dataset
names and files in bash, zsh or fish. Load it in the running shell, or
install it where the shell looks for completions.`,
		Example: `  hitmiss completion bash > /etc/bash_completion.d/hitmiss
  source <(hitmiss completion bash)     # this shell only
  hitmiss completion zsh > "${fpath[1]}/_hitmiss"
  hitmiss completion fish > ~/.config/fish/completions/hitmiss.fish`,
		Args:      cobra.MatchAll(argsBetween(1, 1), cobra.OnlyValidArgs),
		ValidArgs: []string{"bash", "zsh", "fish"},
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(s.Out, true)
			case "zsh":
				return root.GenZshCompletion(s.Out)
			default:
				return root.GenFishCompletion(s.Out, true)
			}
		},
	}
}
