// Package store persists a qcode project in one bbolt file.
//
// Bucket tree (schema version 4). Ids are UUID strings (36 bytes), so
// composite index keys can be split at fixed widths.
//
//	meta                     "schema_version" -> uint64 big-endian
//	                         "created"        -> RFC 3339 time
//	                         "codebook"       -> JSON CodebookInfo (name, description, frameworks)
//	                         "memo"           -> project memo (UTF-8)
//	                         "anchors"        -> JSON {framework item id: official anchor text}
//	                         "code_order"     -> JSON [code id, ...]: the codebook's order
//	                         "fidelity"       -> JSON {site: {item id: score}}: fidelity review scores
//	                         "queries"        -> JSON {name: SavedQuery}: saved `qcode query` expressions
//	documents                <doc id>         -> JSON Document (metadata and turns, no text)
//	texts                    <doc id>         -> the document's normalised UTF-8 text
//	participants             <participant id> -> JSON Participant
//	codes                    <code id>        -> JSON codebook.Code
//	codings                  <coding id>      -> Coding in the binary form of coding_codec.go
//	batches                  <batch id>       -> JSON Batch: codings applied together (auto-coding),
//	                                             removed together by `qcode undo --batch` (schema 4)
//	idx_doc_sha              <text sha256 hex>                 -> doc id
//	idx_participant_label    <lower-case label>                -> participant id
//	idx_codings_by_doc       <doc id><coding id>               -> empty
//	idx_coding_span          <doc id><code id><start><end><coder> -> coding id
//	                         (start and end as 8-byte big-endian)
//
// The idx_ buckets are derived data: Store.Repair recreates them from the
// records, and migrations do so after changing records.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this build reads and writes.
const SchemaVersion = 4

// LockTimeout bounds how long Open waits for another qcode process to
// release the file before giving up with ErrInUse.
const LockTimeout = time.Second

var (
	bucketMeta          = []byte("meta")
	bucketDocuments     = []byte("documents")
	bucketTexts         = []byte("texts")
	bucketParticipants  = []byte("participants")
	bucketCodes         = []byte("codes")
	bucketCodings       = []byte("codings")
	bucketBatches       = []byte("batches")
	bucketDocSHA        = []byte("idx_doc_sha")
	bucketParticipantIx = []byte("idx_participant_label")
	bucketCodingsByDoc  = []byte("idx_codings_by_doc")
	bucketCodingSpan    = []byte("idx_coding_span")

	keySchemaVersion = []byte("schema_version")
	keyCreated       = []byte("created")
	keyCodebook      = []byte("codebook")
	keyMemo          = []byte("memo")
	keyAnchors       = []byte("anchors")
	keyCodeOrder     = []byte("code_order")
	keyFidelity      = []byte("fidelity")
	keyQueries       = []byte("queries")
)

// recordBuckets hold primary data; indexBuckets are rebuilt from them.
var (
	recordBuckets = [][]byte{bucketMeta, bucketDocuments, bucketTexts, bucketParticipants, bucketCodes, bucketCodings, bucketBatches}
	indexBuckets  = [][]byte{bucketDocSHA, bucketParticipantIx, bucketCodingsByDoc, bucketCodingSpan}
)

// Errors a caller can tell apart with errors.Is.
var (
	ErrInUse       = errors.New("in use by another qcode process")
	ErrNoProject   = errors.New("no project")
	ErrNotProject  = errors.New("not a qcode project")
	ErrNewerSchema = errors.New("written by a newer qcode")
	ErrExists      = errors.New("already exists")
)

// PathError ties one of the errors above to the project file.
type PathError struct {
	Path   string
	Err    error
	Detail string
}

func (e *PathError) Error() string {
	switch e.Err {
	case ErrInUse:
		return fmt.Sprintf("project %s is in use by another qcode process (close it, or wait for it to finish)", e.Path)
	case ErrNoProject:
		return fmt.Sprintf("no project at %s (create one with `qcode init`, or pass -p PATH)", e.Path)
	case ErrExists:
		return fmt.Sprintf("project %s already exists", e.Path)
	}
	if e.Detail != "" {
		return fmt.Sprintf("project %s is %s: %s", e.Path, e.Err, e.Detail)
	}
	return fmt.Sprintf("project %s is %s", e.Path, e.Err)
}

func (e *PathError) Unwrap() error { return e.Err }

// Store is an open project file.
type Store struct {
	db   *bolt.DB
	path string
	// tmpDir holds the upgraded private copy a NoWrite open of an older
	// file reads from; Close removes it.
	tmpDir string
}

// Options for Open.
type Options struct {
	ReadOnly bool // shared lock: several readers may hold the file at once
	// OnMigrate, if set, is told about each migration before it runs (after
	// the backup is written), so the CLI can say what is happening.
	OnMigrate func(from, to int, backup string)
	// NoWrite (with ReadOnly) never writes to the file, not even to upgrade
	// an older layout: the upgrade is done in a private temporary copy,
	// which Close removes. For reading another coder's project, which
	// must stay exactly as it is.
	NoWrite bool
}

// Create makes a new, empty project file with mode 0600. It refuses to
// overwrite an existing file.
func Create(path string) (*Store, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, &PathError{Path: path, Err: ErrExists}
		}
		return nil, fmt.Errorf("cannot create project %s: %w", path, unwrapPathErr(err))
	}
	f.Close()
	db, err := openBolt(path, false)
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range append(append([][]byte{}, recordBuckets...), indexBuckets...) {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(keySchemaVersion, u64(SchemaVersion)); err != nil {
			return err
		}
		return meta.Put(keyCreated, []byte(time.Now().UTC().Format(time.RFC3339)))
	})
	if err != nil {
		db.Close()
		os.Remove(path)
		return nil, fmt.Errorf("cannot create project %s: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// Open opens an existing project, migrating an older layout (after writing a
// backup copy) and refusing a newer one.
func Open(path string, opt Options) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &PathError{Path: path, Err: ErrNoProject}
		}
		return nil, fmt.Errorf("cannot open project %s: %w", path, unwrapPathErr(err))
	}
	db, err := openBolt(path, opt.ReadOnly)
	if err != nil {
		return nil, err
	}
	v, err := schemaVersion(db, path)
	if err != nil {
		db.Close()
		return nil, err
	}
	switch {
	case v > SchemaVersion:
		db.Close()
		return nil, &PathError{Path: path, Err: ErrNewerSchema, Detail: fmt.Sprintf("schema %d; this qcode reads up to schema %d — upgrade qcode to open it", v, SchemaVersion)}
	case v < SchemaVersion && opt.ReadOnly && opt.NoWrite:
		return openUpgradedCopy(db, path, v)
	case v < SchemaVersion:
		if opt.ReadOnly {
			// Migrating needs the write lock: reopen, migrate, come back.
			db.Close()
			if db, err = openBolt(path, false); err != nil {
				return nil, err
			}
		}
		if err := migrate(db, path, v, opt.OnMigrate); err != nil {
			db.Close()
			return nil, err
		}
		if opt.ReadOnly {
			db.Close()
			if db, err = openBolt(path, true); err != nil {
				return nil, err
			}
		}
	}
	if err := verifyBuckets(db, path); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, path: path}, nil
}

// openUpgradedCopy copies the older-layout file open in db (under its
// shared lock, so the copy is consistent), closes it, and upgrades and opens
// the copy instead.
func openUpgradedCopy(db *bolt.DB, path string, from int) (*Store, error) {
	dir, err := os.MkdirTemp("", "qcode-read-*")
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot read project %s (schema %d) without changing it: %w", path, from, err)
	}
	fail := func(err error) (*Store, error) {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("cannot read project %s (schema %d) without changing it: %w", path, from, err)
	}
	cp := filepath.Join(dir, "copy.qcode")
	err = db.View(func(tx *bolt.Tx) error { return tx.CopyFile(cp, 0o600) })
	db.Close()
	if err != nil {
		return fail(err)
	}
	if db, err = openBolt(cp, false); err != nil {
		return fail(err)
	}
	if err := migrate(db, cp, from, nil); err != nil {
		db.Close()
		return fail(err)
	}
	if err := verifyBuckets(db, path); err != nil {
		db.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	return &Store{db: db, path: path, tmpDir: dir}, nil
}

// verifyBuckets makes sure the layout is whole, so the accessors can rely on
// every bucket being there.
func verifyBuckets(db *bolt.DB, path string) error {
	return db.View(func(tx *bolt.Tx) error {
		for _, b := range append(append([][]byte{}, recordBuckets...), indexBuckets...) {
			if tx.Bucket(b) == nil {
				return &PathError{Path: path, Err: ErrNotProject, Detail: fmt.Sprintf("bucket %q is missing (damaged file?)", b)}
			}
		}
		return nil
	})
}

func openBolt(path string, readOnly bool) (*bolt.DB, error) {
	opt := &bolt.Options{Timeout: LockTimeout, ReadOnly: readOnly}
	if !readOnly {
		opt.InitialMmapSize = initialMmap(path)
	}
	db, err := bolt.Open(path, 0o600, opt)
	switch {
	case err == nil:
		if opt.InitialMmapSize > 0 {
			// bbolt grows a file mapped beyond its default allocation
			// step by data + AllocSize: keep that slack small, or every
			// new project would be 16 MB on disk.
			db.AllocSize = growStep
		}
		return db, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, &PathError{Path: path, Err: ErrInUse}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return nil, &PathError{Path: path, Err: ErrNotProject, Detail: "the file is not a bbolt database or is damaged (" + err.Error() + ")"}
	}
	return nil, fmt.Errorf("cannot open project %s: %w", path, unwrapPathErr(err))
}

// initialMmap is how much address space a writable open maps up front.
// bbolt remaps the file whenever a transaction outgrows the mapping, and
// each remap first copies every node the transaction has touched out of the
// old mapping: a transaction writing 100 MB into a small file (a merge, a
// large import) spent most of its time doing that (merging 200,000 codings
// into an empty project: 17.8 s, and 2.2 s with a large enough mapping). The
// mapping costs address space only, not memory. On Windows bbolt grows the
// file to the size of the mapping, and a 32-bit process has little address
// space to spare, so there it stays bbolt's default.
// growStep is how much a project file grows beyond its data when it must
// grow (with the mapping of initialMmap).
const growStep = 1 << 20

func initialMmap(path string) int {
	if runtime.GOOS == "windows" || strconv.IntSize < 64 {
		return 0
	}
	size := int64(256 << 20)
	if info, err := os.Stat(path); err == nil {
		size = max(size, min(2*info.Size(), 1<<30))
	}
	return int(size)
}

func schemaVersion(db *bolt.DB, path string) (int, error) {
	v := -1
	err := db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return nil
		}
		if b := meta.Get(keySchemaVersion); len(b) == 8 {
			v = int(beU64(b))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if v < 1 {
		return 0, &PathError{Path: path, Err: ErrNotProject, Detail: "it has no qcode schema version"}
	}
	return v, nil
}

// Path is the project file's path.
func (s *Store) Path() string { return s.path }

// Close releases the file (and removes the private copy of a NoWrite open).
func (s *Store) Close() error {
	err := s.db.Close()
	if s.tmpDir != "" {
		os.RemoveAll(s.tmpDir)
	}
	return err
}

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Update runs fn in a read-write transaction: all of fn's writes are stored
// and synced to disk together, or none are.
func (s *Store) Update(fn func(*Tx) error) error {
	return s.db.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
