package codebook

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"
	"go.yaml.in/yaml/v3"
)

// yamlCode is the nested form a person writes: children under "codes".
type yamlCode struct {
	Code  `yaml:",inline"`
	Codes []yamlCode `yaml:"codes,omitempty"`
}

type yamlBook struct {
	Name        string     `yaml:"name"`
	Description string     `yaml:"description,omitempty"`
	Frameworks  []string   `yaml:"frameworks,omitempty"`
	Codes       []yamlCode `yaml:"codes"`
}

// ReadYAML reads a codebook written as nested YAML (children under
// "codes:"). Codes without an id get a new UUID. name is used in errors.
func ReadYAML(name string, r io.Reader) (*Codebook, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	var yb yamlBook
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&yb); err != nil {
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	cb := &Codebook{Name: yb.Name, Description: yb.Description, Frameworks: yb.Frameworks}
	var walk func(parent string, path string, codes []yamlCode) error
	walk = func(parent, path string, codes []yamlCode) error {
		seen := map[string]bool{}
		for _, yc := range codes {
			c := yc.Code
			c.Name = strings.TrimSpace(c.Name)
			where := path + "/" + c.Name
			if c.Name == "" {
				return fmt.Errorf("%s: a code under %q has no name", name, strings.TrimPrefix(path, "/"))
			}
			if seen[strings.ToLower(c.Name)] {
				return fmt.Errorf("%s: code %q appears twice under the same parent", name, strings.TrimPrefix(where, "/"))
			}
			seen[strings.ToLower(c.Name)] = true
			p, err := ParsePolarity(string(c.Polarity))
			if err != nil {
				return fmt.Errorf("%s: code %q: %v", name, strings.TrimPrefix(where, "/"), err)
			}
			c.Polarity = p
			if err := checkLinks(c.Links); err != nil {
				return fmt.Errorf("%s: code %q: %v", name, strings.TrimPrefix(where, "/"), err)
			}
			if c.ID == "" {
				c.ID = uuid.NewString()
			} else if _, err := uuid.Parse(c.ID); err != nil {
				return fmt.Errorf("%s: code %q: id %q is not a UUID", name, strings.TrimPrefix(where, "/"), c.ID)
			}
			c.ParentID = parent
			cb.Codes = append(cb.Codes, c)
			if err := walk(c.ID, where, yc.Codes); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk("", "", yb.Codes); err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, c := range cb.Codes {
		if ids[c.ID] {
			return nil, fmt.Errorf("%s: code id %s is used twice", name, c.ID)
		}
		ids[c.ID] = true
	}
	return cb, nil
}

// WriteYAML writes cb in the nested form ReadYAML reads.
func WriteYAML(w io.Writer, cb *Codebook) error {
	ix := NewIndex(cb.Codes)
	var nest func(parent string) []yamlCode
	nest = func(parent string) []yamlCode {
		var out []yamlCode
		for _, c := range ix.Children(parent) {
			out = append(out, yamlCode{Code: *c, Codes: nest(c.ID)})
		}
		return out
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(yamlBook{Name: cb.Name, Description: cb.Description, Frameworks: cb.Frameworks, Codes: nest("")}); err != nil {
		return err
	}
	return enc.Close()
}

// checkLinks checks each framework link with CheckLink: it must name an
// item of a built-in framework ("ips25:13", "cfir2:III.D.2"), written as
// that item's id.
func checkLinks(links []string) error {
	for _, l := range links {
		if err := CheckLink(l); err != nil {
			return err
		}
	}
	return nil
}
