package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

// reportFlags are the filters and output options every report takes.
type reportFlags struct {
	docs, kinds, where []string
	out                string
}

func (f *reportFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringSliceVar(&f.docs, "docs", nil, "only these documents (comma-separated names or ids)")
	fl.StringSliceVar(&f.kinds, "kind", nil, "only documents of these kinds (interview, focus-group, field-notes, ...)")
	fl.StringArrayVar(&f.where, "where", nil, "only codings where ATTR=VALUE (the speaker's attribute, else the document's); repeatable")
	fl.StringVarP(&f.out, "output", "o", "", "write to FILE; the extension picks the format: .csv .tsv .md .json .xlsx .html .docx")
}

// filter turns the flags (and --coder, when given on the command line)
// into a project filter.
func (f *reportFlags) filter(cmd *cobra.Command, a *app) (project.ReportFilter, error) {
	rf := project.ReportFilter{Docs: f.docs, Kinds: f.kinds}
	if len(f.where) > 0 {
		w, err := project.ParseAttrs(f.where)
		if err != nil {
			return rf, usageError{err}
		}
		rf.Where = w
	}
	if cmd.Flag("coder").Changed {
		rf.Coders = strings.Split(a.coder, ",")
	}
	return rf, nil
}

// describe says which filters were applied, for the report's subtitle.
func (f *reportFlags) describe(rf project.ReportFilter) string {
	var parts []string
	if len(rf.Docs) > 0 {
		parts = append(parts, "documents: "+strings.Join(rf.Docs, ", "))
	}
	if len(rf.Kinds) > 0 {
		parts = append(parts, "kinds: "+strings.Join(rf.Kinds, ", "))
	}
	for _, w := range f.where {
		parts = append(parts, w)
	}
	if len(rf.Coders) > 0 {
		parts = append(parts, "coders: "+strings.Join(rf.Coders, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Filters: " + strings.Join(parts, "; ") + "."
}

// reportOutput is one report in the shapes the formats need: a document
// (md, html, docx, xlsx), its main table (table, csv, tsv) and a JSON value
// with a documented schema.
type reportOutput struct {
	doc   *export.Report
	table *export.Table
	json  any
}

var reportExtensions = map[string]string{".csv": "csv", ".tsv": "tsv", ".md": "md", ".json": "json", ".xlsx": "xlsx", ".html": "html", ".htm": "html", ".docx": "docx"}

// emit writes out to -o FILE (format from the extension; written to a
// temporary file and renamed, so a failure leaves no partial file) or to
// stdout in --format.
func (a *app) emit(out reportOutput, file string) error {
	format := a.format
	if file != "" {
		var ok bool
		if format, ok = reportExtensions[strings.ToLower(filepath.Ext(file))]; !ok {
			return usagef("-o %s: unknown extension (use .csv .tsv .md .json .xlsx .html .docx)", file)
		}
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "json":
		err = export.JSON(&buf, out.json)
	case "md":
		err = export.WriteMarkdownReport(&buf, out.doc)
	case "xlsx":
		err = export.WriteXLSX(&buf, out.doc)
	case "html":
		err = export.WriteHTML(&buf, out.doc)
	case "docx":
		err = export.WriteDOCX(&buf, out.doc)
	case "table":
		width := 0
		if file == "" {
			width = termWidth(a.stdout)
		}
		err = export.WriteText(&buf, out.table, width)
	default:
		err = export.Write(&buf, format, out.table)
	}
	if err != nil {
		return err
	}
	if file == "" {
		if format == "xlsx" || format == "docx" {
			return usagef("%s is a binary format: write it to a file with -o FILE.%s", format, format)
		}
		_, err = a.stdout.Write(buf.Bytes())
		return err
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, file); err != nil {
		os.Remove(tmp)
		return err
	}
	a.say("wrote %s", file)
	return nil
}
