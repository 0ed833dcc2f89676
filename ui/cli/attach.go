package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"

	"github.com/hitmiss/hitmiss/ui/attach"
)

// adminTokenEnv holds the admin token when --token-file is not given.
const adminTokenEnv = "HITMISS_ADMIN_TOKEN"

// attachCmd watches another program's caches: hitmiss attach URL.
func attachCmd(s Streams) *cobra.Command {
	var tokenFile, admin string
	var interval time.Duration
	cmd := &cobra.Command{
		Use:   "attach URL",
		Short: "Watch a running Go program's caches, full screen",
		Long: `Watches the caches of a running program that mounts cache/cachehttp's
Handler at URL: the per-function table, the event log, the hit ratio over
time and the nearest expiries. Clears (c, C) work only when the program
mounts AdminHandler (at URL/admin unless --admin says where) and the token
comes from --token-file or $HITMISS_ADMIN_TOKEN. When the program goes
away, attach says so and reconnects.`,
		Example: `  hitmiss attach http://127.0.0.1:8080/cache
  hitmiss attach --token-file ~/.pricesvc-token http://127.0.0.1:8080/cache`,
		Args: argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			token := os.Getenv(adminTokenEnv)
			if tokenFile != "" {
				b, err := os.ReadFile(tokenFile)
				if err != nil {
					fmt.Fprintln(s.Err, "hitmiss attach: --token-file:", err)
					return exitStatus(2)
				}
				token = strings.TrimSpace(string(b))
			}
			c, err := attach.NewClient(args[0], admin, token)
			if err != nil {
				fmt.Fprintln(s.Err, "hitmiss attach:", err)
				return exitStatus(2)
			}
			if interval <= 0 {
				fmt.Fprintln(s.Err, "hitmiss attach: --interval must be positive")
				return exitStatus(2)
			}
			m := attach.New(c, interval)
			defer m.Close()
			if _, err := tea.NewProgram(m, tea.WithAltScreen()).Run(); err != nil {
				fmt.Fprintln(s.Err, "hitmiss:", err)
				return exitStatus(1)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&tokenFile, "token-file", "", "read the admin bearer token from `FILE` (else $HITMISS_ADMIN_TOKEN)")
	cmd.Flags().StringVar(&admin, "admin", "", "where AdminHandler is mounted (default URL/admin)")
	cmd.Flags().DurationVar(&interval, "interval", time.Second, "how often to read /stats")
	return cmd
}
