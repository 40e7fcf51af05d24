package cli

import "github.com/spf13/cobra"

// environmentHelp documents every environment variable fieldscreen reads.
// TestEnvironmentDocumented finds each one the code reads and checks it is
// here.
const environmentHelp = `Environment variables fieldscreen reads. A flag given on the command line
wins over a variable, and a variable over a setting ('fieldscreen config').

The store
  FIELDSCREEN_DB               the interview store file, as --db. Default:
                               $XDG_DATA_HOME/fieldscreen/interviews.db, else
                               ~/.local/share/fieldscreen/interviews.db
                               (%LocalAppData%\fieldscreen on Windows)
  FIELDSCREEN_PASSPHRASE_FILE  a file, readable by you only, whose first line
                               is the store's passphrase: for scripts
  FIELDSCREEN_PASSPHRASE       the passphrase itself; weaker, as the
                               environment can leak through process listings
                               and shell history
  FIELDSCREEN_NEW_PASSPHRASE   the new passphrase for 'key add' and 'key
                               change' in scripts
  XDG_DATA_HOME, LocalAppData  where the default store lives (an absolute
                               path; LocalAppData on Windows)
  HOME                         the home folder, for the default store and
                               settings

Settings and handover
  FIELDSCREEN_CONFIG     the settings file. Default: fieldscreen/config.yaml in
                         the user configuration folder ($XDG_CONFIG_HOME or
                         ~/.config; %AppData% on Windows; ~/Library/Application
                         Support on macOS)
  FIELDSCREEN_REFERRALS  a referral directory, as --referrals (before the
                         referrals setting)
  FIELDSCREEN_IDENTITY   an age identity file that decrypts bundles for
                         'import' and 'score --from', as --identity

The screen
  FIELDSCREEN_ACCESSIBLE  1: plain line prompts a screen reader can speak, as
                          --accessible
  TERM                    dumb: the same, and no colour
  NO_COLOR                any value: no colour, as --no-color
  FIELDSCREEN_PAGER       the pager for 'show' and 'score' on a terminal
                          (before PAGER); cat or empty: none (--no-pager)
  PAGER                   the pager when FIELDSCREEN_PAGER is not set
                          (default: less -R)
  LESS, LV                options for less and lv; when unset, fieldscreen
                          sets LESS=FRX and LV=-c, as git does
  TZ                      the time zone of the times shown to people (default:
                          the computer's); each document shows its offset

Packaging
  SOURCE_DATE_EPOCH  the date written in the man pages of 'fieldscreen man',
                     for reproducible builds
`

func environmentTopic() *cobra.Command {
	return &cobra.Command{
		Use:   "environment",
		Short: "The environment variables fieldscreen reads",
		Long:  environmentHelp,
	}
}
