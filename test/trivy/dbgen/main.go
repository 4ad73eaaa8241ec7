// Command trivy-dbgen writes a small vulnerability DB in Trivy's own format, for tests that run the
// real trivy fully offline: <out>/trivy.db (bbolt) and <out>/metadata.json, the layout trivy reads
// from <cache-dir>/db. The advisories come as JSON on stdin (or from -in), e.g.
//
//	{"advisories": [{"id": "CVE-2099-0001", "ecosystem": "debian", "release": "12",
//	  "package": "polyglot-demo", "fixedVersion": "1.2.4-1", "severity": "CRITICAL"}]}
//
// It writes through github.com/aquasecurity/trivy-db (the version trivy's own go.mod requires, see
// go.mod), with the same buckets and values that trivy-db's vulnsrc packages write for the real DB:
//
//   - "<bucket>" / <package> / <vulnerability id> -> types.Advisory (FixedVersion for OS packages,
//     VulnerableVersions/PatchedVersions for language packages). Bucket names come from trivy-db's
//     pkg/vulnsrc/bucket ("debian 12", "pip::GitHub Security Advisory pip", …); OS advisories are
//     keyed by the source package name, as trivy's ospkg detectors look them up.
//   - "data-source" / <bucket> -> types.DataSource, whose ID selects the vendor severity
//     (trivy pkg/vulnerability FillInfo/autoDetectSeverity).
//   - "vulnerability" / <vulnerability id> -> types.Vulnerability with VendorSeverity[<source ID>],
//     Severity, title, description, references and an NVD CVSS v3 score when given.
//
// metadata.json is trivy-db's metadata.Metadata: Version = db.SchemaVersion (2 in this trivy-db),
// UpdatedAt and DownloadedAt now (or as given), NextUpdate far in the future (or as given).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aquasecurity/trivy-db/pkg/db"
	"github.com/aquasecurity/trivy-db/pkg/ecosystem"
	"github.com/aquasecurity/trivy-db/pkg/metadata"
	"github.com/aquasecurity/trivy-db/pkg/types"
	"github.com/aquasecurity/trivy-db/pkg/vulnsrc/bucket"
	"github.com/aquasecurity/trivy-db/pkg/vulnsrc/vulnerability"
	bolt "go.etcd.io/bbolt"
)

// Input is the JSON document read from stdin or -in.
type Input struct {
	// RFC 3339; default now
	UpdatedAt *time.Time `json:"updatedAt"`
	// RFC 3339; default UpdatedAt
	DownloadedAt *time.Time `json:"downloadedAt"`
	// RFC 3339; default UpdatedAt + 100 years (trivy never considers the DB due for an update)
	NextUpdate *time.Time `json:"nextUpdate"`
	// default db.SchemaVersion; another value makes a DB of the wrong schema
	SchemaVersion *int       `json:"schemaVersion"`
	Advisories    []Advisory `json:"advisories"`
}

// Advisory is one vulnerability of one package.
type Advisory struct {
	// CVE-…, GHSA-…, or any vendor id
	ID string `json:"id"`
	// debian, ubuntu, alpine (OS packages), or pip, npm, gem, go, cargo, composer, maven, nuget
	Ecosystem string `json:"ecosystem"`
	// OS packages: the release bucket, e.g. "12" for Debian 12 (trivy uses the major version),
	// "22.04" for Ubuntu, "3.20" for Alpine
	Release string `json:"release"`
	// OS packages: the source package name; language packages: the package name
	Package string `json:"package"`
	// OS packages: the first fixed version; empty = not fixed (reported with Status "affected")
	FixedVersion string `json:"fixedVersion"`
	// language packages: ranges in the ecosystem's syntax, e.g. ["<1.2.4"], and the plain fixed
	// versions, e.g. ["1.2.4"] (as trivy-db's vulnsrc/osv stores the OSV "fixed" events; trivy shows
	// them as FixedVersion)
	VulnerableVersions []string `json:"vulnerableVersions"`
	PatchedVersions    []string `json:"patchedVersions"`
	// UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL
	Severity    string   `json:"severity"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	References  []string `json:"references"`
	// NVD CVSS v3 base score and vector, optional
	CVSS3Score  float64 `json:"cvss3Score"`
	CVSS3Vector string  `json:"cvss3Vector"`
}

// the GitHub Security Advisory data source, as trivy-db's vulnsrc/ghsa names it per ecosystem
// (platformFormat "GitHub Security Advisory %s"; not imported: that package lists Go's standard
// library with the go command when it is loaded)
var ghsaEcosystems = map[string]struct {
	eco  ecosystem.Type
	name string
	new  func(types.DataSource) (bucket.DataSourceBucket, error)
}{
	"pip":      {ecosystem.Pip, "pip", bucket.NewPyPI},
	"npm":      {ecosystem.Npm, "npm", bucket.NewNpm},
	"gem":      {ecosystem.RubyGems, "RubyGems", bucket.NewRubyGems},
	"go":       {ecosystem.Go, "Go", bucket.NewGo},
	"cargo":    {ecosystem.Cargo, "Rust", bucket.NewCargo},
	"composer": {ecosystem.Composer, "Composer", bucket.NewComposer},
	"maven":    {ecosystem.Maven, "Maven", bucket.NewMaven},
	"nuget":    {ecosystem.NuGet, "NuGet", bucket.NewNuGet},
}

// the OS data sources, as trivy-db's vulnsrc/{debian,ubuntu,alpine} declare them
var osSources = map[string]struct {
	new    func(string) bucket.Bucket
	source types.DataSource
}{
	"debian": {bucket.NewDebian, types.DataSource{ID: vulnerability.Debian, Name: "Debian Security Tracker", URL: "https://salsa.debian.org/security-tracker-team/security-tracker"}},
	"ubuntu": {bucket.NewUbuntu, types.DataSource{ID: vulnerability.Ubuntu, Name: "Ubuntu CVE Tracker", URL: "https://git.launchpad.net/ubuntu-cve-tracker"}},
	"alpine": {bucket.NewAlpine, types.DataSource{ID: vulnerability.Alpine, Name: "Alpine Secdb", URL: "https://secdb.alpinelinux.org/"}},
}

type placed struct {
	bucket  string
	source  types.DataSource
	pkg     string
	value   types.Advisory
	details types.Vulnerability
}

func place(a Advisory) (placed, error) {
	var p placed
	if a.ID == "" || a.Package == "" {
		return p, errors.New("id and package are required")
	}
	sev, err := types.NewSeverity(strings.ToUpper(a.Severity))
	if err != nil {
		return p, fmt.Errorf("severity %q: expected one of %s", a.Severity, strings.Join(types.SeverityNames, ", "))
	}
	eco := strings.ToLower(a.Ecosystem)
	if o, ok := osSources[eco]; ok {
		if a.Release == "" {
			return p, fmt.Errorf("ecosystem %s needs a release (e.g. 12)", eco)
		}
		if len(a.VulnerableVersions)+len(a.PatchedVersions) > 0 {
			return p, fmt.Errorf("ecosystem %s takes fixedVersion, not vulnerableVersions/patchedVersions", eco)
		}
		p.bucket = o.new(a.Release).Name()
		p.source = o.source
		p.pkg = a.Package
		p.value = types.Advisory{FixedVersion: a.FixedVersion}
	} else if g, ok := ghsaEcosystems[eco]; ok {
		if a.FixedVersion != "" {
			return p, fmt.Errorf("ecosystem %s takes vulnerableVersions/patchedVersions, not fixedVersion", eco)
		}
		if len(a.VulnerableVersions) == 0 {
			return p, fmt.Errorf("ecosystem %s needs vulnerableVersions (e.g. [\"<1.2.4\"])", eco)
		}
		src := types.DataSource{
			ID:   vulnerability.GHSA,
			Name: "GitHub Security Advisory " + g.name,
			URL:  "https://github.com/advisories?query=type%3Areviewed+ecosystem%3A" + strings.ToLower(g.name),
		}
		b, err := g.new(src)
		if err != nil {
			return p, err
		}
		p.bucket = b.Name()
		p.source = src
		p.pkg = vulnerability.NormalizePkgName(g.eco, a.Package)
		p.value = types.Advisory{VulnerableVersions: a.VulnerableVersions, PatchedVersions: a.PatchedVersions}
	} else {
		known := make([]string, 0, len(osSources)+len(ghsaEcosystems))
		for k := range osSources {
			known = append(known, k)
		}
		for k := range ghsaEcosystems {
			known = append(known, k)
		}
		slices.Sort(known)
		return p, fmt.Errorf("ecosystem %q: expected one of %s", a.Ecosystem, strings.Join(known, ", "))
	}
	p.details = types.Vulnerability{
		Title:          a.Title,
		Description:    a.Description,
		Severity:       sev.String(),
		VendorSeverity: types.VendorSeverity{p.source.ID: sev},
		References:     a.References,
	}
	if a.CVSS3Score > 0 {
		p.details.CVSS = types.VendorCVSS{vulnerability.NVD: {V3Score: a.CVSS3Score, V3Vector: a.CVSS3Vector}}
	}
	return p, nil
}

func write(dir string, in Input, now time.Time) error {
	places := make([]placed, 0, len(in.Advisories))
	for i, a := range in.Advisories {
		p, err := place(a)
		if err != nil {
			return fmt.Errorf("advisories[%d]: %w", i, err)
		}
		places = append(places, p)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// a fresh file: trivy-db's Init opens (and would extend) an existing one
	if err := os.Remove(db.Path(dir)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := db.Init(dir); err != nil {
		return err
	}
	dbc := db.Config{}
	err := dbc.BatchUpdate(func(tx *bolt.Tx) error {
		for i, p := range places {
			id := in.Advisories[i].ID
			if err := dbc.PutDataSource(tx, p.bucket, p.source); err != nil {
				return err
			}
			if err := dbc.PutAdvisory(tx, []string{p.bucket, p.pkg}, id, &p.value); err != nil {
				return err
			}
			if err := dbc.PutVulnerability(tx, id, p.details); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}

	updated := now.UTC().Truncate(time.Second)
	if in.UpdatedAt != nil {
		updated = in.UpdatedAt.UTC()
	}
	meta := metadata.Metadata{
		Version:      db.SchemaVersion,
		UpdatedAt:    updated,
		DownloadedAt: updated,
		NextUpdate:   updated.AddDate(100, 0, 0),
	}
	if in.SchemaVersion != nil {
		meta.Version = *in.SchemaVersion
	}
	if in.DownloadedAt != nil {
		meta.DownloadedAt = in.DownloadedAt.UTC()
	}
	if in.NextUpdate != nil {
		meta.NextUpdate = in.NextUpdate.UTC()
	}
	return metadata.NewClient(dir).Update(meta)
}

func main() {
	out := flag.String("out", "", "directory to write trivy.db and metadata.json into (e.g. <cache-dir>/db)")
	inFile := flag.String("in", "-", "advisories JSON file, - for stdin")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: trivy-dbgen -out <dir> [-in advisories.json]")
		os.Exit(2)
	}
	var r io.Reader = os.Stdin
	if *inFile != "-" {
		f, err := os.Open(*inFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "trivy-dbgen:", err)
			os.Exit(1)
		}
		defer f.Close()
		r = f
	}
	var in Input
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "trivy-dbgen: the input is not a valid advisories document:", err)
		os.Exit(1)
	}
	dir, err := filepath.Abs(*out)
	if err == nil {
		err = write(dir, in, time.Now())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "trivy-dbgen:", err)
		os.Exit(1)
	}
	fmt.Printf("%s\n%s\n", db.Path(dir), metadata.Path(dir))
}
