package project

import (
	"os"
	"strconv"

	"github.com/qcode-qda/qcode/internal/store"
)

// BackupInfo describes one automatic backup.
type BackupInfo = store.BackupInfo

// Problem is one thing Check found wrong.
type Problem = store.Problem

// KeepBackups is how many automatic backups are kept: $QCODE_BACKUP_KEEP,
// else store.DefaultKeepBackups.
func KeepBackups() int {
	if n, err := strconv.Atoi(os.Getenv("QCODE_BACKUP_KEEP")); err == nil && n > 0 {
		return n
	}
	return store.DefaultKeepBackups
}

// Backup writes a consistent copy of the project to dest.
func (p *Project) Backup(dest string) error { return p.st.Backup(dest) }

// autoBackup keeps a copy before a change that is hard to undo.
func (p *Project) autoBackup(reason string) (string, error) {
	return p.st.AutoBackup(reason, KeepBackups())
}

// AutoBackupNow keeps an automatic backup now, for clients about to make a
// change that is hard to undo (an index repair).
func (p *Project) AutoBackupNow(reason string) (string, error) { return p.autoBackup(reason) }

// Check verifies the file and every invariant; see store.Check.
func (p *Project) Check(limit int) ([]Problem, error) { return p.st.Check(limit) }

// Repair rebuilds the indexes from the records.
func (p *Project) Repair() error { return p.st.Repair() }

// ListBackups lists the automatic backups of the project at path.
func ListBackups(path string) ([]BackupInfo, error) { return store.ListBackups(path) }

// Restore replaces the project at path with a backup, keeping a backup of
// the current state; it returns that backup's path.
func Restore(path, from string) (string, error) { return store.Restore(path, from, KeepBackups()) }
