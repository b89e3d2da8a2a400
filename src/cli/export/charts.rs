//! The `--plot` flag of `export themes`, `export boilerplate` and `search --by-year`, and the
//! search chart: which numbers go on which line. The export tables draw their own per-year
//! charts (`ThemeTable::chart`, `BoilerplateTable::chart`); drawing is `gongkai::export::chart`.

use std::path::{Path, PathBuf};

use anyhow::Result;

use gongkai::export::chart::{Chart, Series, YearPoint};

use crate::cli::dicts::BadInput;

/// Checks a `--plot` flag: only with `--by year`, and only .svg or .png.
pub fn check_plot(plot: &Option<PathBuf>, by_year: bool) -> Result<()> {
    if let Some(p) = plot {
        if !by_year {
            return Err(BadInput("--plot draws shares per year: add --by year".into()).into());
        }
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !ext.eq_ignore_ascii_case("svg") && !ext.eq_ignore_ascii_case("png") {
            return Err(
                BadInput(format!("{}: --plot writes .svg or .png files", p.display())).into(),
            );
        }
    }
    Ok(())
}

/// Draws `chart` into `plot` and says so on stderr, as `gongkai COMMAND: chart written to …`.
pub fn write_chart(chart: &Chart, plot: &Path, command: &str) -> Result<()> {
    chart.render(plot)?;
    eprintln!("gongkai {command}: chart written to {}", plot.display());
    Ok(())
}

/// The chart of `search --by-year --plot`: the share of each year's reports that match.
pub fn year_chart(query: &str, years: &[gongkai::search::YearCount]) -> Chart {
    let what = if query.trim().is_empty() {
        "filters".to_string()
    } else {
        format!("“{}”", query.trim())
    };
    Chart {
        title: format!("含 {what} 的报告比例 Reports matching {what}"),
        y_label: "报告比例 share of the year's reports".into(),
        unit: "reports".into(),
        series: vec![Series {
            label: what,
            points: years
                .iter()
                .filter_map(|y| {
                    Some(YearPoint {
                        year: y.year?,
                        numerator: y.reports,
                        denominator: y.reports_indexed,
                    })
                })
                .collect(),
        }],
    }
}
