package cli

import (
	"bytes"
	"encoding/json"

	"fieldscreen/internal/textsafe"
)

// printJSON writes v to stdout as indented JSON, for people and tools,
// with every character that could drive a terminal escaped
// (textsafe.JSON): names and answers from a bundle are in it.
func (a *app) printJSON(v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := a.io.Out.Write(textsafe.JSON(b.Bytes()))
	return err
}

// color reports whether output to w may use colour and styles.
func (a *app) color() bool {
	if a.pg != nil {
		return a.pg.color
	}
	if a.noColor || a.io.Getenv("NO_COLOR") != "" || a.io.Getenv("TERM") == "dumb" {
		return false
	}
	return a.io.OutTerminal()
}
