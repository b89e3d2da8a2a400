//! Output destinations: stdout or a file written atomically.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Where results go: stdout, a regular file that only appears (replacing any old one) when the
/// run finishes, or something that is not a regular file (`/dev/null`, a pipe, a symlink),
/// written in place: renaming a temporary file over those would replace the device or the
/// link itself.
pub enum Output {
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
    /// An existing destination that is not a regular file, written directly.
    Direct(BufWriter<File>),
    /// A temporary file renamed to `path` by [`Output::finish`].
    File {
        /// Final destination.
        path: PathBuf,
        /// Temporary file next to it, removed if the run fails before `finish`.
        tmp: TempPath,
        /// Writer on `tmp`.
        writer: BufWriter<File>,
    },
}

/// A temporary output file that is deleted unless it was moved into place.
pub struct TempPath(Option<PathBuf>);

impl TempPath {
    fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

impl Output {
    /// Opens `path` (`None` or `-`: stdout).
    pub fn open(path: Option<&Path>) -> Result<Output> {
        match path {
            None => Ok(Output::Stdout(BufWriter::new(io::stdout()))),
            Some(p) if p.as_os_str() == "-" => Ok(Output::Stdout(BufWriter::new(io::stdout()))),
            Some(p) if std::fs::symlink_metadata(p).is_ok_and(|m| !m.file_type().is_file()) => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .truncate(true)
                    .open(p)
                    .with_context(|| format!("{}: cannot open output", p.display()))?;
                Ok(Output::Direct(BufWriter::new(file)))
            }
            Some(p) => {
                let name = p
                    .file_name()
                    .with_context(|| format!("{}: not a file name", p.display()))?;
                let mut tmp_name = std::ffi::OsString::from(".");
                tmp_name.push(name);
                tmp_name.push(".gongkai-tmp");
                let tmp = p.with_file_name(tmp_name);
                let file = File::create(&tmp)
                    .with_context(|| format!("{}: cannot create output file", tmp.display()))?;
                Ok(Output::File {
                    path: p.to_path_buf(),
                    tmp: TempPath(Some(tmp)),
                    writer: BufWriter::new(file),
                })
            }
        }
    }

    /// Flushes and, for a file, moves it into place. Errors are reported, not swallowed by
    /// `Drop`.
    pub fn finish(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => w.flush().context("cannot write to stdout"),
            Output::Direct(mut w) => w.flush().context("cannot write output"),
            Output::File {
                path,
                mut tmp,
                writer,
            } => {
                let file = writer
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("{}: cannot write", tmp.path().display()))?;
                file.sync_all()
                    .with_context(|| format!("{}: cannot write", tmp.path().display()))?;
                std::fs::rename(tmp.path(), &path).with_context(|| {
                    format!("{}: cannot move output into place", path.display())
                })?;
                tmp.0 = None;
                Ok(())
            }
        }
    }
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
