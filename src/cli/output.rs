//! Output destinations: stdout, or a file that appears whole or not at all.
//!
//! A file output (`-o FILE`) is written to a uniquely named temporary file in the target's
//! folder and renamed over the target only when the run succeeds, so a failed, killed or
//! concurrent run never leaves a half-written or mixed file, and two runs with the same `-o`
//! never share a temporary file. The replaced file keeps its permissions (a new one gets the
//! usual ones, after the umask); a read-only file is refused, not replaced. `-o LINK` replaces
//! the file the link points to and keeps the link. An output that is one of the inputs is
//! refused ([`refuse_input`]). On SIGINT, SIGTERM or SIGHUP the temporary file is removed
//! before the process dies; only SIGKILL can leave one behind (hidden, named `.tmp…`).
//!
//! Something that is not a regular file (`/dev/null`, a pipe) is written in place: renaming
//! over it would replace the device itself.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Where results go.
pub enum Output {
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
    /// An existing destination that is not a regular file, written directly.
    Direct(BufWriter<File>),
    /// A temporary file renamed to `path` by [`Output::finish`].
    File {
        /// Final destination (symlinks resolved).
        path: PathBuf,
        /// Writer on the temporary file, which is deleted if the run fails before `finish`.
        writer: BufWriter<tempfile::NamedTempFile>,
        /// Its slot in the signal-cleanup table.
        cleanup: cleanup::Slot,
    },
}

impl Output {
    /// Opens `path` (`None` or `-`: stdout).
    pub fn open(path: Option<&Path>) -> Result<Output> {
        let p = match path {
            None => return Ok(Output::Stdout(BufWriter::new(io::stdout()))),
            Some(p) if p.as_os_str() == "-" => {
                return Ok(Output::Stdout(BufWriter::new(io::stdout())));
            }
            Some(p) => resolve_links(p)?,
        };
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => bail!("{}: is a folder: give a file name to -o", p.display()),
            Ok(m) if !m.is_file() => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .truncate(true)
                    .open(&p)
                    .with_context(|| format!("{}: cannot open output", p.display()))?;
                Ok(Output::Direct(BufWriter::new(file)))
            }
            Ok(m) => {
                if m.permissions().readonly() {
                    bail!(
                        "{}: the file is read-only: not replaced (make it writable or choose another -o)",
                        p.display()
                    );
                }
                Self::temporary(p, Some(m.permissions()))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Self::temporary(p, None),
            Err(e) => Err(e).with_context(|| format!("{}: cannot open output", p.display())),
        }
    }

    fn temporary(path: PathBuf, keep: Option<std::fs::Permissions>) -> Result<Output> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".gongkai-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // The mode a new file gets (the umask applies); an old file's mode is set below.
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        cleanup::install();
        let tmp = builder.tempfile_in(&dir).with_context(|| {
            format!(
                "{}: cannot create a temporary file in {}",
                path.display(),
                dir.display()
            )
        })?;
        let cleanup = cleanup::Slot::register(tmp.path());
        if let Some(perms) = keep {
            std::fs::set_permissions(tmp.path(), perms)
                .with_context(|| format!("{}: cannot set permissions", tmp.path().display()))?;
        }
        Ok(Output::File {
            path,
            writer: BufWriter::new(tmp),
            cleanup,
        })
    }

    /// Flushes and, for a file, moves it into place. Errors are reported, not swallowed by
    /// `Drop`.
    pub fn finish(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => w.flush().context("cannot write to stdout"),
            Output::Direct(mut w) => w.flush().context("cannot write output"),
            Output::File {
                path,
                writer,
                cleanup,
            } => {
                let tmp = writer
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                tmp.as_file()
                    .sync_all()
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                tmp.persist(&path).map_err(|e| e.error).with_context(|| {
                    format!("{}: cannot move output into place", path.display())
                })?;
                drop(cleanup);
                Ok(())
            }
        }
    }
}

/// Follows symlinks to the file they name (which may not exist yet), so that a rename
/// replaces the file and keeps the link.
fn resolve_links(p: &Path) -> Result<PathBuf> {
    let mut p = p.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)
                    .with_context(|| format!("{}: cannot read link", p.display()))?;
                p = match p.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            _ => return Ok(p),
        }
    }
    bail!("{}: too many levels of symbolic links", p.display())
}

/// Refuses an output file that is one of the input reports (`inputs` as given: files and
/// folders), which the run would overwrite.
pub fn refuse_input(output: Option<&Path>, inputs: &[PathBuf]) -> Result<()> {
    let Some(out) = output.filter(|p| p.as_os_str() != "-") else {
        return Ok(());
    };
    let Ok(out_meta) = std::fs::metadata(out) else {
        return Ok(()); // does not exist yet: cannot be an input
    };
    if !out_meta.is_file() {
        return Ok(());
    }
    let given = inputs
        .iter()
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()));
    let walked = gongkai::corpus::walk(inputs).into_iter().flatten();
    for input in given.cloned().chain(walked) {
        if std::fs::metadata(&input).is_ok_and(|m| same_file(&m, &out_meta)) {
            bail!(
                "{}: the output is one of the input reports ({}): choose another -o",
                out.display(),
                input.display()
            );
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    a.len() == b.len() && a.modified().ok() == b.modified().ok()
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::Direct(w) => w.write(buf),
            Output::File { writer, .. } => writer.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::Direct(w) => w.flush(),
            Output::File { writer, .. } => writer.flush(),
        }
    }
}

/// Removing temporary files when the process is interrupted.
///
/// A handler for SIGINT, SIGTERM and SIGHUP unlinks every registered path and re-raises the
/// signal with its default action (so the exit status says what killed the process). Only
/// async-signal-safe calls run in the handler: loads of atomics, `unlink`, `signal`, `raise`.
pub mod cleanup {
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, Ordering};

    const SLOTS: usize = 8;
    static PATHS: [AtomicPtr<libc::c_char>; SLOTS] =
        [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];

    /// A registered path; dropping it unregisters it (the file itself is then the owner's).
    pub struct Slot(Option<usize>);

    impl Slot {
        /// Registers `path` for removal on a signal (a no-op beyond 8 files at once).
        pub fn register(path: &Path) -> Slot {
            install();
            #[cfg(unix)]
            {
                use std::os::unix::ffi::OsStrExt;
                let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
                    return Slot(None);
                };
                let raw = c.into_raw();
                for (i, slot) in PATHS.iter().enumerate() {
                    if slot
                        .compare_exchange(
                            std::ptr::null_mut(),
                            raw,
                            Ordering::SeqCst,
                            Ordering::SeqCst,
                        )
                        .is_ok()
                    {
                        return Slot(Some(i));
                    }
                }
                // SAFETY: `raw` came from `CString::into_raw` above and was not stored.
                drop(unsafe { std::ffi::CString::from_raw(raw) });
            }
            Slot(None)
        }
    }

    impl Drop for Slot {
        fn drop(&mut self) {
            if let Some(i) = self.0 {
                // The path's few bytes are leaked, not freed: a signal handler may be reading
                // them at this very moment.
                PATHS[i].store(std::ptr::null_mut(), Ordering::SeqCst);
            }
        }
    }

    /// Installs the signal handler (once per process; register calls it too).
    #[cfg(unix)]
    pub fn install() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                // SAFETY: installs a handler that only makes async-signal-safe calls.
                unsafe {
                    libc::signal(
                        sig,
                        handler as extern "C" fn(libc::c_int) as libc::sighandler_t,
                    );
                }
            }
        });
    }

    /// Nothing to install off Unix.
    #[cfg(not(unix))]
    pub fn install() {}

    #[cfg(unix)]
    extern "C" fn handler(sig: libc::c_int) {
        for slot in &PATHS {
            let p = slot.load(Ordering::SeqCst);
            if !p.is_null() {
                // SAFETY: `p` is a NUL-terminated string leaked by `register`, never freed
                // while it is in the table.
                unsafe {
                    libc::unlink(p);
                }
            }
        }
        // SAFETY: restore the default action and re-raise, so the process dies of the signal.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }
}
