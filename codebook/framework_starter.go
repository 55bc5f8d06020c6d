package codebook

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Starter codebooks built from the built-in frameworks.
//
// ips25-barriers-facilitators: one theme per IPS-25 section (Staffing,
// Organization, Services); under it one code per item, linked to the item;
// under that a barrier code and a facilitator code, both linked to the item
// and named after it:
//
//	Services
//	  Disclosure                      ips25:13
//	    Disclosure — barrier          ips25:13, polarity barrier
//	    Disclosure — facilitator      ips25:13, polarity facilitator
//
// The item level gives every fidelity item its own subtree, so counts roll
// up per item as well as per section and per polarity, and it holds talk
// about an item that is neither clearly a barrier nor a facilitator. The
// leaves repeat the item's name rather than being called just "Barrier",
// so every name is unique: a code can be found by name alone, and a report
// or export that lists codes without their paths still says which item a
// row is about.
//
// cfir2: one code per domain, construct and subconstruct, each linked to its
// item, without polarity (CFIR studies rate valence separately, e.g. -2 to
// +2 per site). The Individuals domain has two unlinked grouping codes,
// Roles and Characteristics, for its two subdomains.
//
// Every code's id is a version-5 UUID derived from the starter's name and
// the code's place in the framework (item ids, not display names), so two
// coders who start from the same starter get the same ids and their
// codebooks merge by id, and renaming an item in a later release keeps them.

const (
	StarterIPS25 = "ips25-barriers-facilitators"
	StarterCFIR2 = "cfir2"
)

// starterNamespace is the fixed namespace of starter code ids. Changing it
// (or the names passed to starterID) changes every starter id.
var starterNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/qcode-qda/qcode/codebook/starter"))

func starterID(starter, key string) string {
	return uuid.NewSHA1(starterNamespace, []byte(starter+"\x00"+key)).String()
}

// StarterNames lists the starter codebooks Starter builds.
func StarterNames() []string { return []string{StarterIPS25, StarterCFIR2} }

// Starter returns a new starter codebook (see StarterNames). The name is
// case-insensitive. Each call returns a fresh codebook with the same ids.
func Starter(name string) (*Codebook, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case StarterIPS25:
		return starterIPS25()
	case StarterCFIR2:
		return starterCFIR2()
	}
	return nil, fmt.Errorf("unknown starter codebook %q (known: %s)", name, strings.Join(StarterNames(), ", "))
}

func starterIPS25() (*Codebook, error) {
	f := lookupBuiltin("ips25")
	if f == nil {
		return nil, fmt.Errorf("starter %s: the IPS-25 framework is not available", StarterIPS25)
	}
	const s = StarterIPS25
	cb := &Codebook{
		Name:        "IPS-25 barriers and facilitators",
		Description: "Barriers and facilitators to IPS fidelity, one pair of codes per item of the IPS-25 Supported Employment Fidelity Scale, grouped by section. Item descriptions are qcode's paraphrases of a high score. Source: " + f.Citation,
		Frameworks:  []string{f.ID},
	}
	sections := map[string]string{} // section name -> code id
	for _, it := range f.Items {
		sid, ok := sections[it.Section]
		if !ok {
			first, last := sectionRange(f, it.Section)
			sid = starterID(s, "section:"+it.Section)
			sections[it.Section] = sid
			cb.Codes = append(cb.Codes, Code{
				ID:          sid,
				Name:        it.Section,
				Grouping:    true, // a heading: text is coded at item level
				Description: fmt.Sprintf("IPS-25 %s items (%s-%s).", it.Section, first, last),
			})
		}
		iid := starterID(s, it.ID)
		cb.Codes = append(cb.Codes,
			Code{
				ID:          iid,
				ParentID:    sid,
				Name:        it.Name,
				Description: fmt.Sprintf("IPS-25 item %s (%s). High fidelity: %s", it.Key, it.Section, it.Description),
				Links:       []string{it.ID},
			},
			Code{
				ID:          starterID(s, it.ID+"#barrier"),
				ParentID:    iid,
				Name:        it.Name + " — barrier",
				Description: fmt.Sprintf("What stands in the way of IPS-25 item %s (%s). High fidelity: %s", it.Key, it.Name, it.Description),
				Polarity:    PolarityBarrier,
				Links:       []string{it.ID},
			},
			Code{
				ID:          starterID(s, it.ID+"#facilitator"),
				ParentID:    iid,
				Name:        it.Name + " — facilitator",
				Description: fmt.Sprintf("What helps a service reach IPS-25 item %s (%s). High fidelity: %s", it.Key, it.Name, it.Description),
				Polarity:    PolarityFacilitator,
				Links:       []string{it.ID},
			})
	}
	return cb, nil
}

// sectionRange returns the first and last item keys of a section.
func sectionRange(f *Framework, section string) (first, last string) {
	for _, it := range f.Items {
		if it.Section == section {
			if first == "" {
				first = it.Key
			}
			last = it.Key
		}
	}
	return first, last
}

func starterCFIR2() (*Codebook, error) {
	f := lookupBuiltin("cfir2")
	if f == nil {
		return nil, fmt.Errorf("starter %s: the CFIR 2.0 framework is not available", StarterCFIR2)
	}
	const s = StarterCFIR2
	cb := &Codebook{
		Name:        "CFIR 2.0",
		Description: "The domains, constructs and subconstructs of the updated Consolidated Framework for Implementation Research, one code each, without polarity (rate valence separately). Descriptions are qcode's summaries. Source: " + f.Citation,
		Frameworks:  []string{f.ID},
	}
	domains := map[string]string{} // domain key -> code id
	groups := map[string]string{}  // domain key + group -> code id
	for _, it := range f.Items {
		code := Code{ID: starterID(s, it.ID), Name: it.Name, Description: it.Description, Links: []string{it.ID}}
		domain, _, _ := strings.Cut(it.Key, ".")
		switch {
		case it.Kind == "domain":
			domains[it.Key] = code.ID
		case it.Parent != "":
			code.ParentID = starterID(s, it.Parent)
		case it.Group != "":
			gk := domain + "#" + it.Group
			gid, ok := groups[gk]
			if !ok {
				gid = starterID(s, f.ID+":"+gk)
				groups[gk] = gid
				cb.Codes = append(cb.Codes, Code{
					ID:          gid,
					ParentID:    domains[domain],
					Name:        it.Group,
					Grouping:    true,
					Description: fmt.Sprintf("CFIR 2.0 %s domain, %s subdomain.", it.Section, it.Group),
				})
			}
			code.ParentID = gid
		default:
			code.ParentID = domains[domain]
		}
		cb.Codes = append(cb.Codes, code)
	}
	return cb, nil
}
