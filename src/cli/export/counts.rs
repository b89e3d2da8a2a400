//! The grouped count tables: `export boilerplate` and `export themes`, one row per group ×
//! formula or theme, from analyses or from an index, each with its optional per-year chart.

use anyhow::Result;

use gongkai::export::GroupBy;
use gongkai::export::boilerplate::BoilerplateTable;
use gongkai::export::themes::ThemeTable;

use super::args::{BoilerplateArgs, By, ThemesArgs, ThemesBy};
use super::charts::{check_plot, write_chart};
use super::input::{Setup, summaries};

/// `export boilerplate`: formula counts and shares per group, and the share per year as a chart.
pub(super) fn boilerplate(args: &BoilerplateArgs) -> Result<bool> {
    check_plot(&args.plot, args.by == By::Year)?;
    let setup = Setup::new(&args.common)?;
    let by = GroupBy::from(args.by);
    let formulas = setup.analyzer.boilerplate().formulas().to_vec();
    let mut table = BoilerplateTable::new(&formulas, by);
    let ok = summaries(&setup, &args.common, "export boilerplate", |s| {
        table.add(&s)
    })?;
    // Drawn before the rows, which consume the table.
    let chart = args.plot.as_ref().map(|_| table.chart());
    let per_report = by == GroupBy::Report;
    setup.write(
        &args.common,
        &BoilerplateTable::header(by),
        table.rows(),
        per_report,
    )?;
    if let (Some(plot), Some(chart)) = (&args.plot, chart) {
        write_chart(&chart, plot, "export boilerplate")?;
    }
    Ok(ok)
}

/// `export themes`: reports admitting each theme per group, and per year as a chart.
pub(super) fn themes(args: &ThemesArgs) -> Result<bool> {
    check_plot(&args.plot, args.by == ThemesBy::Year)?;
    let setup = Setup::new(&args.common)?;
    let by = match args.by {
        ThemesBy::Report => GroupBy::Report,
        ThemesBy::Year => GroupBy::Year,
        ThemesBy::Agency => GroupBy::Agency,
        ThemesBy::Province => GroupBy::Province,
        ThemesBy::Level => GroupBy::Level,
    };
    let themes = setup.analyzer.themes().themes().to_vec();
    let mut table = ThemeTable::new(&themes, by);
    let ok = summaries(&setup, &args.common, "export themes", |s| table.add(&s))?;
    let chart = args.plot.as_ref().map(|_| table.chart());
    let per_report = by == GroupBy::Report;
    setup.write(
        &args.common,
        &ThemeTable::header(by),
        table.rows(),
        per_report,
    )?;
    if let (Some(plot), Some(chart)) = (&args.plot, chart) {
        write_chart(&chart, plot, "export themes")?;
    }
    Ok(ok)
}
