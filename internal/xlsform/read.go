package xlsform

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Workbook is the part of an XLSForm this package reads: its sheets as
// text, by lower-case name.
type Workbook struct {
	Sheets map[string]*Sheet
}

// Sheet is one sheet: its header row and the rows under it.
type Sheet struct {
	Name    string   // as the workbook spells it
	Columns []string // the header row, trimmed
	Rows    []Row    // the rows under the header, empty ones left out
}

// Row is one row of a sheet.
type Row struct {
	N     int      // as the spreadsheet numbers it: the header is row 1
	Cells []string // by column, as Columns
}

// Get returns the cell under the column named col, or "".
func (s *Sheet) Get(r Row, col string) string {
	for i, c := range s.Columns {
		if strings.EqualFold(c, col) && i < len(r.Cells) {
			return strings.TrimSpace(r.Cells[i])
		}
	}
	return ""
}

// limits against a hostile file: an XLSForm is a few hundred kilobytes.
const (
	maxUnzipped    = 64 << 20
	maxUnzippedXML = 16 << 20
	maxRows        = 20000
)

// Read reads an .xlsx workbook.
func Read(r io.Reader) (*Workbook, error) {
	x, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || strings.Contains(err.Error(), "zip") {
			return nil, fmt.Errorf("not an .xlsx workbook (an XLSForm saved as .xlsx is needed; save .xls or .ods files as .xlsx first)")
		}
		return nil, fmt.Errorf("cannot read the workbook: %w", err)
	}
	defer x.Close()
	wb := &Workbook{Sheets: map[string]*Sheet{}}
	for _, name := range x.GetSheetList() {
		rows, err := x.GetRows(name)
		if err != nil {
			return nil, fmt.Errorf("cannot read sheet %s: %w", name, err)
		}
		if len(rows) > maxRows {
			return nil, fmt.Errorf("sheet %s has %d rows; an XLSForm this large is not supported", name, len(rows))
		}
		s := &Sheet{Name: name}
		for i, cells := range rows {
			if i == 0 {
				for _, c := range cells {
					s.Columns = append(s.Columns, strings.TrimSpace(c))
				}
				continue
			}
			if strings.TrimSpace(strings.Join(cells, "")) == "" {
				continue
			}
			s.Rows = append(s.Rows, Row{N: i + 1, Cells: cells})
		}
		wb.Sheets[strings.ToLower(strings.TrimSpace(name))] = s
	}
	return wb, nil
}

// columnLetter is the spreadsheet's name of column i (0: A).
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
