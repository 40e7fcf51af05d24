package cli

import "github.com/spf13/cobra"

func (a *app) keyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "key",
		Short: "Manage the passphrases that unlock the store",
		Long: `A store can be unlocked by several passphrases (for example one per
interviewer); each passphrase opens the store's own key. Changing or
removing a passphrase re-wraps or removes only that, so an old copy of the
store file still opens with the old passphrase: 'key rotate' (offered by
'key change' and 'key remove', or --rotate) re-encrypts every interview
under a new key, which the old passphrase and old copies cannot open.
Rotating keeps only the passphrase it runs with: add the others again.`,
		Example: `  fieldscreen key list
  fieldscreen key add
  fieldscreen key change --rotate
  fieldscreen key remove 3f2a
  fieldscreen key rotate`,
	}
}
