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
}

// Options for Open.
type Options struct {
	ReadOnly bool // shared lock: several readers may hold the file at once
	// OnMigrate, if set, is told about each migration before it runs (after
	// the backup is written), so the CLI can say what is happening.
	OnMigrate func(from, to int, backup string)
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
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout, ReadOnly: readOnly})
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, &PathError{Path: path, Err: ErrInUse}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return nil, &PathError{Path: path, Err: ErrNotProject, Detail: "the file is not a bbolt database or is damaged (" + err.Error() + ")"}
	}
	return nil, fmt.Errorf("cannot open project %s: %w", path, unwrapPathErr(err))
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

// Close releases the file.
func (s *Store) Close() error { return s.db.Close() }

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
