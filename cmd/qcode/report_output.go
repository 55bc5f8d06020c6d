package main

import (
	"bufio"
	"io"
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

// reportFormat is the format a report is written in: -o FILE's extension,
// else --format.
func (a *app) reportFormat(file string) (string, error) {
	if file == "" {
		if a.format == "xlsx" || a.format == "docx" {
			return "", usagef("%s is a binary format: write it to a file with -o FILE.%s", a.format, a.format)
		}
		return a.format, nil
	}
	format, ok := reportExtensions[strings.ToLower(filepath.Ext(file))]
	if !ok {
		return "", usagef("-o %s: unknown extension (use .csv .tsv .md .json .xlsx .html .docx)", file)
	}
	return format, nil
}

var reportExtensions = map[string]string{".csv": "csv", ".tsv": "tsv", ".md": "md", ".json": "json", ".xlsx": "xlsx", ".html": "html", ".htm": "html", ".docx": "docx"}

// emit writes out to -o FILE (format from the extension; written to a
// temporary file and renamed, so a failure leaves no partial file) or to
// stdout in --format.
func (a *app) emit(out reportOutput, file string) error {
	format, err := a.reportFormat(file)
	if err != nil {
		return err
	}
	if file == "" {
		w := bufio.NewWriter(a.stdout)
		if err := a.writeReport(w, out, format, termWidth(a.stdout)); err != nil {
			return err
		}
		return w.Flush()
	}
	tmp := file + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 256<<10)
	err = a.writeReport(w, out, format, 0)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, file)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	a.say("wrote %s", file)
	return nil
}

func (a *app) writeReport(w io.Writer, out reportOutput, format string, width int) error {
	switch format {
	case "json":
		return export.JSON(w, out.json)
	case "md":
		return export.WriteMarkdownReport(w, out.doc)
	case "xlsx":
		return export.WriteXLSX(w, out.doc)
	case "html":
		return export.WriteHTML(w, out.doc)
	case "docx":
		return export.WriteDOCX(w, out.doc)
	case "table":
		return export.WriteText(w, out.table, width)
	}
	return export.Write(w, format, out.table)
}
