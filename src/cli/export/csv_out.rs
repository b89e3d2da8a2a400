//! Writing a table: a BOM if asked, the header, rows streamed as they come, and an explicit
//! flush, into the temporary-then-renamed [`Output`] so a failed run leaves the old file.

use std::io::Write;

use anyhow::{Context, Result};

use super::args::CommonArgs;
use crate::cli::output::Output;

/// A CSV output written row by row: BOM if asked, the header, rows, an explicit flush.
pub(super) struct CsvOut {
    writer: csv::Writer<Output>,
    error: Option<csv::Error>,
}

impl CsvOut {
    pub(super) fn open(args: &CommonArgs, header: &[String]) -> Result<CsvOut> {
        let mut out = Output::open(args.output.as_deref())?;
        if args.bom {
            out.write_all("\u{FEFF}".as_bytes())?;
        }
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(header)?;
        Ok(CsvOut {
            writer,
            error: None,
        })
    }

    /// Writes rows; the first error is kept for [`CsvOut::finish`].
    pub(super) fn rows(&mut self, rows: Vec<Vec<String>>) {
        if self.error.is_some() {
            return;
        }
        for row in rows {
            if let Err(e) = self.writer.write_record(&row) {
                self.error = Some(e);
                return;
            }
        }
    }

    pub(super) fn finish(mut self) -> Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e).context("cannot write CSV");
        }
        self.writer.flush().context("cannot write CSV")?;
        let out = self
            .writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write CSV: {}", e.error()))?;
        out.finish()
    }
}

/// Writes a CSV table (header, rows), with a BOM if asked.
pub fn write_table(args: &CommonArgs, header: &[String], rows: Vec<Vec<String>>) -> Result<()> {
    let mut out = CsvOut::open(args, header)?;
    out.rows(rows);
    out.finish()
}
