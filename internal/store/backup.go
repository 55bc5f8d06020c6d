package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DefaultKeepBackups is how many automatic backups are kept per project
// unless QCODE_BACKUP_KEEP says otherwise.
const DefaultKeepBackups = 10

// Backup writes a consistent copy of the project to dest (mode 0600) from
// one read transaction, so other readers may go on meanwhile. It refuses to
// overwrite dest and writes through a temporary file, so an interrupted
// backup leaves no half-written copy.
func (s *Store) Backup(dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("%s already exists; choose a new name", dest)
	}
	tmp := dest + ".partial"
	err := s.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(tmp, 0o600) })
	if err == nil {
		err = os.Rename(tmp, dest)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", dest, unwrapPathErr(err))
	}
	return nil
}

// BackupDir is where automatic backups of the project at path go:
// "<path>.backups", beside it.
func BackupDir(path string) string { return path + ".backups" }

// AutoBackup copies the project into its backup directory before a change
// that is hard to undo (an import into a non-empty project, a merge, a
// migration), named by time and reason, and removes the oldest automatic
// backups beyond keep. It returns the backup's path.
func (s *Store) AutoBackup(reason string, keep int) (string, error) {
	dir := BackupDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cannot create backup directory %s: %w", dir, unwrapPathErr(err))
	}
	stamp, reason := time.Now().UTC().Format("20060102T150405.000000000Z"), strings.ReplaceAll(reason, " ", "-")
	dest := filepath.Join(dir, fmt.Sprintf("%s-%s.qcode", stamp, reason))
	for n := 2; ; n++ { // two backups in the same millisecond get distinct names
		if _, err := os.Stat(dest); errors.Is(err, os.ErrNotExist) {
			break
		}
		dest = filepath.Join(dir, fmt.Sprintf("%s-%s-%d.qcode", stamp, reason, n))
	}
	if err := s.Backup(dest); err != nil {
		return "", err
	}
	return dest, PruneBackups(s.path, keep)
}

// BackupInfo describes one automatic backup.
type BackupInfo struct {
	Name   string
	Path   string
	Size   int64
	Time   time.Time
	Reason string
}

// ListBackups lists the project's automatic backups, oldest first.
func ListBackups(path string) ([]BackupInfo, error) {
	entries, err := os.ReadDir(BackupDir(path))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []BackupInfo
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".qcode") {
			continue
		}
		stamp, reason, _ := strings.Cut(strings.TrimSuffix(name, ".qcode"), "-")
		t, err := time.Parse("20060102T150405.000000000Z", stamp)
		if err != nil {
			continue // not one of ours
		}
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		out = append(out, BackupInfo{Name: name, Path: filepath.Join(BackupDir(path), name), Size: info.Size(), Time: t, Reason: reason})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// PruneBackups removes the oldest automatic backups beyond keep (keep <= 0:
// keep all).
func PruneBackups(path string, keep int) error {
	if keep <= 0 {
		return nil
	}
	list, err := ListBackups(path)
	if err != nil {
		return err
	}
	for len(list) > keep {
		if err := os.Remove(list[0].Path); err != nil {
			return err
		}
		list = list[1:]
	}
	return nil
}

// Restore replaces the project at path with the backup at from, after
// backing up the current state (reason "before-restore"). It holds the
// project's write lock while it checks both files, so no other qcode
// process is using it, and it swaps the file in with a rename.
func Restore(path, from string, keep int) (string, error) {
	src, err := Open(from, Options{ReadOnly: true})
	if err != nil {
		return "", err
	}
	src.Close()
	cur, err := Open(path, Options{})
	if err != nil {
		return "", err
	}
	saved, err := cur.AutoBackup("before-restore", keep)
	if err != nil {
		cur.Close()
		return "", err
	}
	data, err := os.ReadFile(from)
	if err != nil {
		cur.Close()
		return "", err
	}
	tmp := path + ".restoring"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		cur.Close()
		return "", err
	}
	cur.Close()
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return saved, nil
}

// Compact writes a compacted copy of the project file src to dst (mode
// 0600): the same records with the free pages left by deletions dropped
// and every page filled, so a copy from which most codings were removed is
// as small as its content. dst must not exist.
func Compact(src, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("%s already exists", dst)
	}
	from, err := openBolt(src, true)
	if err != nil {
		return err
	}
	defer from.Close()
	to, err := bolt.Open(dst, 0o600, &bolt.Options{Timeout: LockTimeout})
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", dst, unwrapPathErr(err))
	}
	// Commit every 64 MB so a large project does not need its whole
	// content in one transaction's memory.
	if err := bolt.Compact(to, from, 64<<20); err != nil {
		to.Close()
		os.Remove(dst)
		return fmt.Errorf("compacting %s into %s: %w", src, dst, err)
	}
	return to.Close()
}
