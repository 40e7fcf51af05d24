package cli

import "github.com/spf13/cobra"

const exitCodesHelp = `Exit codes of fieldscreen:

  0    success
  1    an error (the message says which)
  2    wrong use of a command: an unknown flag, a missing argument
  3    wrong passphrase for the interview store
  4    the store is in use by another fieldscreen process (try again when it ends)
  5    the store file is damaged or is not a fieldscreen store (see 'fieldscreen check')
  6    a flow, answers file or bundle has problems (each one is listed)
  130  stopped with Ctrl-C, SIGTERM or SIGHUP: an interview's answers so far are
       kept as a draft to resume (before the first answer nothing is kept); a
       correction ('fieldscreen amend') stopped changes nothing; any other
       command stops cleanly, leaving no partial file (a second signal ends
       it at once)
`

func exitCodesTopic() *cobra.Command {
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "What fieldscreen's exit codes mean",
		Long:  exitCodesHelp,
	}
}
